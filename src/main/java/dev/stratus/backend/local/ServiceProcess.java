package dev.stratus.backend.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.security.LocalAdminToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A control service ({@code stratus serve}) run as a child process, for the demo, the benchmarks and the tests:
 * started on loopback with its output in a log file, awaited until the gateway is ready and until the fleet has
 * settled, and stopped with SIGTERM (it drains its workers), SIGKILL only if that hangs.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How to run it.
     *
     * @param port     0 picks a free one
     * @param state    the state directory (absent: the service's default, inside {@code config})
     * @param profiles the profile store (absent: the service's default)
     * @param env      extra environment (e.g. Quarkus settings)
     * @param tokens   the token file the service accepts (created with an admin token when missing); its admin token
     *                 is what this class, and whoever started the service, send to the admin API
     * @param args     further {@code serve} options (e.g. {@code --models-dir DIR})
     */
    public record Options(int port, Path config, Optional<Path> state, Optional<Path> profiles, Path workerLogs,
            Path log, long periodMs, Map<String, String> env, Path tokens, List<String> args) {
        public Options {
            args = List.copyOf(args);
        }

        /** With no further {@code serve} options. */
        public Options(int port, Path config, Optional<Path> state, Optional<Path> profiles, Path workerLogs,
                Path log, long periodMs, Map<String, String> env, Path tokens) {
            this(port, config, state, profiles, workerLogs, log, periodMs, env, tokens, List.of());
        }

        public static Options of(Path config, Path workDir) {
            return new Options(0, config, Optional.of(workDir.resolve("state")), Optional.empty(),
                    workDir.resolve("workers"), workDir.resolve("serve.log"), 1000, Map.of(),
                    workDir.resolve("tokens"), List.of());
        }

        public Options withArgs(List<String> a) {
            return new Options(port, config, state, profiles, workerLogs, log, periodMs, env, tokens, List.copyOf(a));
        }

        public Options withPort(int p) {
            return new Options(p, config, state, profiles, workerLogs, log, periodMs, env, tokens, args);
        }

        public Options withProfiles(Path p) {
            return new Options(port, config, state, Optional.of(p), workerLogs, log, periodMs, env, tokens, args);
        }

        public Options withState(Optional<Path> s) {
            return new Options(port, config, s, profiles, workerLogs, log, periodMs, env, tokens, args);
        }

        public Options withPeriodMs(long ms) {
            return new Options(port, config, state, profiles, workerLogs, log, ms, env, tokens, args);
        }

        public Options withTokens(Path file) {
            return new Options(port, config, state, profiles, workerLogs, log, periodMs, env, file, args);
        }

        public Options withEnv(Map<String, String> e) {
            return new Options(port, config, state, profiles, workerLogs, log, periodMs, e, tokens, args);
        }
    }

    private final Options options;
    private final int port;
    private final Process process;
    private final LocalAdminToken admin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcess(Options options, int port, Process process, LocalAdminToken admin) {
        this.options = options;
        this.port = port;
        this.process = process;
        this.admin = admin;
    }

    public static ServiceProcess start(Options options) throws IOException {
        int port = options.port() == 0 ? AppCommand.freePort() : options.port();
        List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(port), "--host", "127.0.0.1",
                "--config", options.config().toString(), "--period-ms", Long.toString(options.periodMs()),
                "--logs", options.workerLogs().toString()));
        options.state().ifPresent(s -> args.addAll(List.of("--state", s.toString())));
        options.profiles().ifPresent(p -> args.addAll(List.of("--profiles", p.toAbsolutePath().toString())));
        LocalAdminToken admin = LocalAdminToken.in(options.tokens());
        args.addAll(admin.serveArgs());
        args.addAll(options.args());
        Files.createDirectories(options.log().toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(AppCommand.app(args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(options.log().toFile()));
        builder.environment().putAll(options.env());
        return new ServiceProcess(options, port, AppCommand.start(builder), admin);
    }

    public int port() {
        return port;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return options.log();
    }

    /** The admin token the service accepts (the value of an {@code Authorization} header: {@link LocalAdminToken}). */
    public LocalAdminToken admin() {
        return admin;
    }

    /** Until the gateway serves every model (a model without a profile here is profiled first: minutes). */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        try {
            AppCommand.awaitOk(URI.create(base() + "/v2/health/ready"), process, timeout);
        } catch (IOException e) {
            throw new IOException("the control service is not ready (" + e.getMessage() + "); see " + log()
                    + ":\n" + tail(), e);
        }
    }

    /**
     * Until the fleet has settled: every group has its planned serving replicas and standbys ready and nothing
     * is starting. Returns false when it had not after the timeout.
     */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (settled()) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private boolean settled() {
        try {
            JsonNode groups = JSON.readTree(get("/admin/v1/fleet/groups"));
            if (!groups.isArray() || groups.isEmpty()) {
                return false;
            }
            for (JsonNode g : groups) {
                if (g.path("starting").asInt() > 0 || g.path("serving").asInt() != g.path("targetServing").asInt()
                        || g.path("standby").asInt() != g.path("targetStandby").asInt()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GET on the service, as its admin; the body whatever the status. */
    public String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", admin.authorization()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The last lines of its log, for error messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM: the service drains and stops its workers; SIGKILL after 90 s. Returns its exit status. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            ChildProcesses.kill(process);
            process.waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
