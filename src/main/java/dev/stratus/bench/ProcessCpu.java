package dev.stratus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a process has used (user + system, all its threads), from {@code /proc/<pid>/stat}: what the
 * benchmark charges per served item to the worker, and per item to direct ONNX Runtime (its own process), the same
 * way for both. Linux only; the kernel counts in clock ticks (USER_HZ, 100 on every mainstream kernel).
 */
final class ProcessCpu {
    /** USER_HZ: fixed at 100 by the kernel's ABI for /proc, whatever the kernel's internal tick rate. */
    static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** CPU seconds used so far by process {@code pid}. */
    static double seconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long utime = Long.parseLong(fields[11]); // field 14
        long stime = Long.parseLong(fields[12]); // field 15
        return (double) (utime + stime) / TICKS_PER_SECOND;
    }

    static double self() throws IOException {
        return seconds(ProcessHandle.current().pid());
    }
}
