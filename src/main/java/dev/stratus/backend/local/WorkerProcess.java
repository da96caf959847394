package dev.stratus.backend.local;

import java.io.IOException;
import java.net.URI;
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
        int chosen = port == 0 ? AppCommand.freePort() : port;
        List<String> command = new ArrayList<>(List.of("worker"));
        command.addAll(workerArgs);
        command.add("--port");
        command.add(Integer.toString(chosen));
        command.add("--host");
        command.add("127.0.0.1");
        Files.createDirectories(log.toAbsolutePath().getParent());
        long started = System.currentTimeMillis();
        Process p = new ProcessBuilder(AppCommand.app(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new WorkerProcess(p, chosen, log, started);
    }

    /** Polls {@code /v2/health/ready} until 200; fails early if the process dies. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        try {
            AppCommand.awaitOk(URI.create("http://127.0.0.1:" + port + "/v2/health/ready"), process, timeout);
        } catch (IOException e) {
            throw new IOException("worker not ready (" + e.getMessage() + "); log " + log + ":\n" + tail(), e);
        }
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
}
