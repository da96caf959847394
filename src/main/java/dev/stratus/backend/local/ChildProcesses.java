package dev.stratus.backend.local;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The processes this JVM started through {@link AppCommand#start} and that still run. When the JVM ends (normal
 * exit, SIGTERM, Ctrl-C) a shutdown hook stops them: SIGTERM first (a worker drains, a control service stops its
 * own workers), then SIGKILL for whatever is left after the grace period, with its descendants. The JVM does not
 * do this by itself: a child outlives its parent unless someone stops it. SIGKILL of this JVM runs no hook; the
 * children then notice through {@link OwnerWatch}.
 */
public final class ChildProcesses {
    /** How long stopped children get to finish (a worker's drain) before SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(20);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("stop-children").unstarted(
                ChildProcesses::stopAll));
    }

    private ChildProcesses() {
    }

    static void track(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
    }

    /** Children started here that still run. */
    public static List<Process> live() {
        return LIVE.stream().filter(Process::isAlive).toList();
    }

    /** SIGTERM to every live child, then SIGKILL (with descendants) to those still running after the grace. */
    static void stopAll() {
        List<Process> running = live();
        running.forEach(Process::destroy);
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (Process p : running) {
            try {
                p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running.stream().filter(Process::isAlive).forEach(ChildProcesses::kill);
    }

    /** SIGKILL to a process and everything it started. */
    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
