package dev.stratus.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Linux' /proc says about other processes that the JDK does not: their environment. Stratus tags the
 * processes it starts through the environment ({@link OwnerWatch}), which is how a restarted control service
 * recognises its workers and a test run its own processes. Readable for processes of the same user (or root).
 */
public final class ProcFs {
    private static final Path PROC = Path.of("/proc");

    private ProcFs() {
    }

    /** Whether this system has a /proc to read. */
    public static boolean available() {
        return Files.isReadable(PROC.resolve("self").resolve("environ"));
    }

    /** The environment a process was started with, or empty when it cannot be read (gone, or not ours). */
    public static Optional<Map<String, String>> environment(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
            Map<String, String> env = new LinkedHashMap<>();
            for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            return Optional.of(env);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** Live processes (other than this one) whose environment has {@code name=value}. */
    public static List<ProcessHandle> withEnvironment(String name, String value) {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses().filter(p -> p.pid() != self && p.isAlive())
                .filter(p -> environment(p.pid()).map(env -> value.equals(env.get(name))).orElse(false)).toList();
    }
}
