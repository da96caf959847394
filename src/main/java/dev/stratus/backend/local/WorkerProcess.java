package dev.stratus.backend.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker running as an OS process of this machine ({@code java -jar quarkus-run.jar worker ...}), with its
 * output in a log file, in a process group of its own. Stopping sends SIGTERM, which makes the worker drain
 * before it exits. A worker is either started here (a child of this JVM) or adopted: started by a previous
 * control service, found running and taken over by this one (no exit status can be read then).
 */
public final class WorkerProcess implements AutoCloseable {
    private final ProcessHandle handle;
    private final Process process; // null when adopted
    private final int port;
    private final Path log;
    private final long startedEpochMs;

    /**
     * How a worker starts: its CPU priority and, for the control service's workers, the owner record file it
     * follows (and how long it waits, orphaned, to be adopted).
     */
    public record Launch(int niceness, Optional<Path> ownerFile, long orphanGraceMillis) {
        public static final Launch DEFAULT = new Launch(0, Optional.empty(), 0);

        public Launch {
            if (niceness < 0 || niceness > 19 || orphanGraceMillis < 0) {
                throw new IllegalArgumentException("niceness 0..19 and a grace >= 0");
            }
        }

        public static Launch at(int niceness) {
            return new Launch(niceness, Optional.empty(), 0);
        }
    }

    private WorkerProcess(ProcessHandle handle, Process process, int port, Path log, long startedEpochMs) {
        this.handle = handle;
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
        return start(workerArgs, port, log, Launch.DEFAULT);
    }

    public static WorkerProcess start(List<String> workerArgs, int port, Path log, Launch launch) throws IOException {
        int chosen = port == 0 ? AppCommand.freePort() : port;
        Files.createDirectories(log.toAbsolutePath().getParent());
        long started = System.currentTimeMillis();
        ProcessBuilder builder = new ProcessBuilder(ProcessPriority.wrap(AppCommand.app(command(workerArgs, chosen)),
                launch.niceness())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                log.toFile()));
        Process p = launch.ownerFile().isPresent()
                ? AppCommand.start(builder, launch.ownerFile().get(), launch.orphanGraceMillis())
                : AppCommand.start(builder);
        return new WorkerProcess(p.toHandle(), p, chosen, log, started);
    }

    /** The {@code worker} command line for these arguments and port, loopback only. */
    static List<String> command(List<String> workerArgs, int port) {
        List<String> command = new ArrayList<>(List.of("worker"));
        command.addAll(workerArgs);
        command.addAll(List.of("--port", Integer.toString(port), "--host", "127.0.0.1"));
        return command;
    }

    /** A worker another process started, now running under this one (see {@link WorkerAdoption}). */
    static WorkerProcess adopted(ProcessHandle handle, int port, Path log, long startedEpochMs) {
        return new WorkerProcess(handle, null, port, log, startedEpochMs);
    }

    /** Polls {@code /v2/health/ready} until 200; fails early if the process dies. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        try {
            AppCommand.awaitOk(URI.create("http://127.0.0.1:" + port + "/v2/health/ready"), process(), timeout);
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
        return handle.pid();
    }

    public ProcessHandle handle() {
        return handle;
    }

    /** Whether this process was adopted rather than started here. */
    public boolean adopted() {
        return process == null;
    }

    /** The child process; adopted workers have none (use {@link #handle()}). */
    public Process process() {
        if (process == null) {
            throw new IllegalStateException("worker " + pid() + " was adopted: it is not a child of this process");
        }
        return process;
    }

    public boolean alive() {
        return handle.isAlive();
    }

    /** How the process ended, for events: its exit status when it was our child. */
    public String exit() {
        if (process == null) {
            return "exited (status unknown: adopted from a previous control service)";
        }
        return process.isAlive() ? "running" : "exited with status " + process.exitValue();
    }

    /**
     * Back to normal CPU priority for every thread, when this worker was started lower and runs in a process group
     * of its own. Returns false when that was not possible.
     */
    public boolean raisePriority() {
        return ProcessPriority.processGroup(pid()) == pid() && ProcessPriority.raise(pid());
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

    /** SIGTERM: the worker drains and exits. Returns at once. */
    public void terminate() {
        handle.destroy();
    }

    /**
     * SIGTERM, then waits for the drain to end; SIGKILL after the timeout (to the worker and anything it started).
     * Returns the exit status (-1 for an adopted worker, whose status cannot be read). Interrupted, it kills at once
     * and keeps the interrupt, so that an interrupted caller leaves nothing running.
     */
    public int stop(Duration timeout) throws InterruptedException {
        handle.destroy();
        try {
            if (!awaitExit(timeout)) {
                kill();
                awaitExit(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            kill();
            throw e;
        }
        return process == null || process.isAlive() ? -1 : process.exitValue();
    }

    private boolean awaitExit(Duration timeout) throws InterruptedException {
        if (process != null) {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !handle.isAlive();
        }
    }

    /** SIGKILL to the worker and its descendants. */
    public void kill() {
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException {
        if (handle.isAlive()) {
            stop(Duration.ofSeconds(30));
        }
    }
}
