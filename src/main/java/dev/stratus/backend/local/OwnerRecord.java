package dev.stratus.backend.local;

import java.time.Instant;
import java.util.Optional;

/**
 * Which process owns a worker: its pid and start time (the pair survives pid reuse, which a pid alone does not).
 * The control service writes its own record to a file in its state directory; its workers follow that file, so
 * that a restarted control service that rewrites it becomes their owner without restarting them.
 */
public record OwnerRecord(long pid, long startedEpochMillis) {
    /** Start times read through /proc are in clock ticks; two reads of one process agree far closer than this. */
    private static final long SAME_START_MILLIS = 1_000;

    /** This process. */
    public static OwnerRecord self() {
        return of(ProcessHandle.current()).orElseThrow(() -> new IllegalStateException(
                "this platform does not report the process start time"));
    }

    public static Optional<OwnerRecord> of(ProcessHandle handle) {
        return handle.info().startInstant().map(s -> new OwnerRecord(handle.pid(), s.toEpochMilli()));
    }

    /** "PID START-EPOCH-MS", the file format. */
    public String format() {
        return pid + " " + startedEpochMillis + "\n";
    }

    /** The record in a file's text, if the text is one. */
    public static Optional<OwnerRecord> parse(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OwnerRecord(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether this very process (same pid, same start) is still running. */
    public boolean alive() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).flatMap(h -> h.info().startInstant())
                .map(Instant::toEpochMilli).map(s -> Math.abs(s - startedEpochMillis) < SAME_START_MILLIS)
                .orElse(false);
    }
}
