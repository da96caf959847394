package dev.stratus.testing.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * The Stratus image for container tests: the engine is checked, the image is built by the same script as
 * {@code ./stratus image build} (reused when its inputs are unchanged), and nothing is ever pulled. Three things
 * show it: the pull policy ({@link NeverPull}) refuses any image that is not local before a pull is attempted; at
 * the end the engine is asked for pull events since the tests began; and where the engine's own log is known
 * ({@code STRATUS_DOCKERD_LOG}, set by .ci/run), it must record no pull attempt, failed ones included (the engine
 * sends no event for those).
 */
public final class StratusImage {
    /** Label on every container the tests start, so that leftovers of a killed run can be found and removed. */
    public static final String TEST_LABEL = "dev.stratus.test";

    private static String image;
    private static long startedEpochSeconds;

    private StratusImage() {
    }

    /**
     * The image reference, built on first use. Without a Docker engine the calling test is skipped on a
     * developer machine, with how to enable it, and fails in CI ({@code CI=true}), where skipping is not allowed.
     */
    public static synchronized String require() {
        if (image != null) {
            return image;
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            String how = "no Docker engine answers; container tests need one: apt-get install docker.io debootstrap, "
                    + "start dockerd, and run them as root (see docs/container.md)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true: " + how + " (.ci/run starts the engine)");
            }
            // A class skipped in its set-up is counted as no test at all: say so where the developer looks.
            System.out.println("[container tests] SKIPPED: " + how);
            Assumptions.abort(how);
        }
        startedEpochSeconds = System.currentTimeMillis() / 1000 - 1;
        removeLeftovers();
        image = build();
        return image;
    }

    /** Runs container/build-image.sh with the JDK running the tests (its jlink makes the image's runtime). */
    private static String build() {
        ProcessBuilder pb = new ProcessBuilder(Path.of("container", "build-image.sh").toAbsolutePath().toString())
                .redirectErrorStream(false);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        List<String> progress = new ArrayList<>();
        try {
            Process p = pb.start();
            Thread echo = Thread.ofPlatform().start(() -> {
                try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = err.readLine()) != null; ) {
                        System.out.println("[image build] " + line);
                        synchronized (progress) {
                            progress.add(line);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("image build took over 20 minutes");
            }
            echo.join();
            if (p.exitValue() != 0 || out.isEmpty()) {
                throw new AssertionError("image build failed (exit " + p.exitValue() + "): " + String.join("\n",
                        progress));
            }
            return out.lines().reduce((a, b) -> b).orElseThrow();
        } catch (IOException e) {
            throw new AssertionError("cannot run container/build-image.sh: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while building the image", e);
        }
    }

    /** Containers of an earlier run that was killed before it could remove them (there is no Ryuk to do it). */
    private static void removeLeftovers() {
        DockerClient docker = DockerClientFactory.instance().client();
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(TEST_LABEL))
                .exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        }
    }

    /**
     * For a test class's end: fails when the engine recorded any image pull since the container tests began, or
     * when a test container is still there (running or not). Does nothing when no container test ran.
     */
    public static void assertNoPullsNorContainersLeft() throws InterruptedException {
        if (image == null) {
            return;
        }
        List<String> left = DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(TEST_LABEL)).exec().stream()
                .map(c -> c.getId().substring(0, 12) + " " + String.join(",", c.getNames())).toList();
        if (!left.isEmpty()) {
            throw new AssertionError("test containers left behind: " + left);
        }
        List<String> pulls = new ArrayList<>();
        long until = System.currentTimeMillis() / 1000 + 1;
        DockerClientFactory.instance().client().eventsCmd().withSince(Long.toString(startedEpochSeconds))
                .withUntil(Long.toString(until)).withEventFilter("pull")
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event e) {
                        pulls.add(e.getAction() + " " + e.getId());
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
        pulls.addAll(pullsInEngineLog());
        if (!pulls.isEmpty()) {
            throw new AssertionError("the engine pulled or tried to pull images during the container tests (every "
                    + "image must be built here): " + pulls);
        }
    }

    /** Lines of the engine's log (logfmt, {@code time="..."} first) about pulls since the tests began. */
    private static List<String> pullsInEngineLog() {
        String log = System.getenv("STRATUS_DOCKERD_LOG");
        if (log == null || !Files.isReadable(Path.of(log))) {
            return List.of();
        }
        Instant since = Instant.ofEpochSecond(startedEpochSeconds);
        try (Stream<String> lines = Files.lines(Path.of(log), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.toLowerCase(Locale.ROOT).contains("pull") && l.startsWith("time=\""))
                    .filter(l -> {
                        try {
                            return !Instant.parse(l.substring(6, l.indexOf('"', 6))).isBefore(since);
                        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
                            return true; // a pull line we cannot date counts
                        }
                    }).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new AssertionError("cannot read the engine's log " + log + ": " + e.getMessage(), e);
        }
    }

    static DockerImageName name() {
        return DockerImageName.parse(require());
    }
}
