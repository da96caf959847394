package dev.stratus.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Which cores the load client and the worker run on, set with {@code taskset -a} (every thread of a process; threads
 * started later inherit it). Pinned: the client gets the first quarter of the cores (at least one), the worker the
 * rest, so that the client's work no longer takes the worker's CPU and the served figure is the worker's own; the
 * direct reference then runs on the worker's cores too, the same restriction.
 */
record CorePinning(boolean pinned, String clientCores, String workerCores) {
    /** Every core for everyone, as without pinning. */
    static CorePinning none(int cores) {
        String all = cores == 1 ? "0" : "0-" + (cores - 1);
        return new CorePinning(false, all, all);
    }

    static CorePinning split(int cores) {
        if (cores < 2) {
            throw new IllegalArgumentException("pinning the client and the worker to separate cores needs at least "
                    + "2 cores; this machine has " + cores);
        }
        int client = Math.max(1, cores / 4);
        return new CorePinning(true, range(0, client - 1), range(client, cores - 1));
    }

    private static String range(int first, int last) {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }

    /** Restricts every thread of {@code pid} to {@code cores}. */
    static void apply(long pid, String cores) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-cp", cores, Long.toString(pid)).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("taskset -a -cp " + cores + " " + pid + " failed: " + out.trim());
        }
    }
}
