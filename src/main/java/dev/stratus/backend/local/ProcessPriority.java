package dev.stratus.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CPU priority and process groups of worker processes. A worker that only warms up (a standby) or measures
 * (profiling) starts at a lower priority ({@code nice}), so that its JVM start and warm-up, a couple of
 * core-seconds, come out of idle time instead of the replicas serving traffic on the same cores. Each worker runs
 * in a process group of its own ({@code setsid}), so that a promoted standby's priority is raised for all its
 * threads at once ({@code renice -g}) and a Ctrl-C meant for its parent reaches the parent, which drains it.
 */
public final class ProcessPriority {
    /** The nice value of a worker that serves no traffic yet. */
    public static final int BACKGROUND = 10;

    /** What a worker is started for. */
    public enum Purpose { SERVE, STANDBY, PROFILE }

    private static volatile Boolean canRaise;

    private ProcessPriority() {
    }

    /**
     * The nice value to start with. A standby may serve later, so it starts low only where its priority can be
     * raised again on promotion (lowering a nice value needs privileges): otherwise a promoted standby would serve
     * at a disadvantage next to the others.
     */
    public static int niceness(Purpose purpose, boolean canRaiseLater) {
        return switch (purpose) {
            case SERVE -> 0;
            case STANDBY -> canRaiseLater ? BACKGROUND : 0;
            case PROFILE -> BACKGROUND;
        };
    }

    /** {@code command} prefixed with {@code nice -n N} (when N > 0) and {@code setsid}, where those tools exist. */
    static List<String> wrap(List<String> command, int niceness) {
        List<String> out = new ArrayList<>();
        if (niceness > 0 && available("nice")) {
            out.addAll(List.of(tool("nice"), "-n", Integer.toString(niceness)));
        }
        if (available("setsid")) {
            out.add(tool("setsid"));
        }
        out.addAll(command);
        return out;
    }

    /**
     * Raises every thread of the process group {@code pgid} back to nice 0. Linux keeps a nice value per thread,
     * so renicing the pid alone would leave the JVM's other threads low. Returns false when not permitted.
     */
    public static boolean raise(long pgid) {
        return run(List.of(tool("renice"), "-n", "0", "-g", Long.toString(pgid)));
    }

    /** Whether this process may lower a nice value again (root, or RLIMIT_NICE), probed once. */
    public static boolean canRaise() {
        Boolean known = canRaise;
        if (known == null) {
            // A child started at nice 1 tries to go back to 0: exactly what a promotion needs.
            known = available("nice") && available("renice")
                    && run(List.of(tool("nice"), "-n", "1", "sh", "-c", "exec " + tool("renice") + " -n 0 -p $$"));
            canRaise = known;
        }
        return known;
    }

    /** The process group of a process (Linux), or -1 when unknown. */
    public static long processGroup(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // pid (comm) state ppid pgrp ...: comm may hold spaces, so count from its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[2]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String tool(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return dir + "/" + name;
            }
        }
        return name;
    }

    private static boolean available(String name) {
        return !tool(name).equals(name);
    }
}
