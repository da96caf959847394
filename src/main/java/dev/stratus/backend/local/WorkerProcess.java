package dev.stratus.backend.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker running as an OS process of this machine ({@code java -jar quarkus-run.jar worker ...}), with its
 * output in a log file. Stopping sends SIGTERM, which makes the worker drain before it exits.
 */
public final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final long startedEpochMs;

    private WorkerProcess(Process process, int port, Path log, long startedEpochMs) {
        this.process = process;
        this.startedEpochMs = startedEpochMs;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a worker with the given {@code worker} arguments (without {@code --port}, which is added).
     *
     * @param port 0 to pick a free loopback port
     */
    public static WorkerProcess start(List<String> workerArgs, int port, Path log) throws IOException {
        int chosen = port == 0 ? freePort() : port;
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // Netty still uses it; silences the warning
            command.add("--add-opens=java.base/java.lang=ALL-UNNAMED"); // Quarkus' thread pool resets thread locals
        }
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED"); // ONNX Runtime's native library
        }
        command.add("-jar");
        command.add(AppLocation.runJar().toString());
        command.add("worker");
        command.addAll(workerArgs);
        command.add("--port");
        command.add(Integer.toString(chosen));
        command.add("--host");
        command.add("127.0.0.1");
        Files.createDirectories(log.toAbsolutePath().getParent());
        long started = System.currentTimeMillis();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new WorkerProcess(p, chosen, log, started);
    }

    /** Polls {@code /v2/health/ready} until 200; fails early if the process dies. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        URI ready = URI.create("http://127.0.0.1:" + port + "/v2/health/ready");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("worker exited with status " + process.exitValue() + " before it was ready; "
                        + "log " + log + ":\n" + tail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("worker not ready after " + timeout + "; log " + log + ":\n" + tail());
    }

    public int port() {
        return port;
    }

    /** Wall-clock time (epoch ms) just before the process was spawned, for cold-start timing. */
    public long startedEpochMs() {
        return startedEpochMs;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    /** Last lines of the worker's log, for error messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then waits for the drain to end; returns the exit status (SIGKILL after the timeout). */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(30));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
    }
}
