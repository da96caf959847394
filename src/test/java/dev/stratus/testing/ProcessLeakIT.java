package dev.stratus.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.stratus.backend.local.ProcFs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The last check of the test run (its own Failsafe execution, after every other IT): no process that this run's
 * tests started may still be alive. Processes are this run's when they carry its id in their environment
 * ({@code STRATUS_TEST_RUN}, set by the build for the test JVMs and inherited by everything they start, workers
 * of workers included) or still descend from this JVM; other builds' and the developer's own processes carry
 * another id or none. Processes that are still draining get a grace period to end; those that outlive it fail
 * the run, are named with their command lines, and are killed so that they do not outlive it.
 */
class ProcessLeakIT {
    static final String RUN = "STRATUS_TEST_RUN";
    /** Longer than a drain and an orphaned worker's wait for adoption, so that only true leaks fail. */
    static final Duration GRACE = Duration.ofSeconds(90);

    @Test
    void noProcessStartedByThisTestRunIsStillAlive() throws InterruptedException {
        assertTrue(ProcFs.available(), "this check reads /proc to find the run's processes: run the tests on Linux");
        String run = System.getenv(RUN);
        if (run == null && "true".equals(System.getenv("CI"))) {
            fail(RUN + " is not set: run the tests through Maven (./stratus test), whose configuration sets it");
        }
        long deadline = System.nanoTime() + GRACE.toNanos();
        List<ProcessHandle> left = leftBehind(run);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            left = leftBehind(run);
        }
        if (!left.isEmpty()) {
            Map<Long, String> described = new LinkedHashMap<>();
            left.forEach(p -> described.put(p.pid(), describe(p)));
            left.forEach(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
            fail(left.size() + " process(es) started by this test run were still alive " + GRACE.toSeconds()
                    + " s after the last test (now killed):\n" + described.values().stream()
                    .collect(Collectors.joining("\n")));
        }
    }

    /** Live processes of this run: tagged with its id, or descendants of this JVM; never this JVM or its parents. */
    static List<ProcessHandle> leftBehind(String run) {
        ProcessHandle self = ProcessHandle.current();
        Set<Long> excluded = new java.util.HashSet<>();
        for (ProcessHandle p = self; p != null; p = p.parent().orElse(null)) {
            excluded.add(p.pid());
        }
        Stream<ProcessHandle> tagged = run == null ? Stream.empty() : ProcFs.withEnvironment(RUN, run).stream();
        List<ProcessHandle> out = new ArrayList<>();
        Set<Long> seen = new java.util.HashSet<>();
        Stream.concat(self.descendants(), tagged).filter(ProcessHandle::isAlive)
                .filter(p -> !excluded.contains(p.pid()) && seen.add(p.pid())).forEach(out::add);
        return out;
    }

    private static String describe(ProcessHandle p) {
        ProcessHandle.Info info = p.info();
        String age = info.startInstant().map(s -> Duration.between(s, Instant.now()).toSeconds() + " s old")
                .orElse("age unknown");
        return "  pid " + p.pid() + " (parent " + p.parent().map(h -> Long.toString(h.pid())).orElse("-") + ", "
                + age + "): " + info.commandLine().orElse("(command line unreadable)");
    }
}
