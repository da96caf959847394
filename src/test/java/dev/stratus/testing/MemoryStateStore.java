package dev.stratus.testing;

import dev.stratus.core.port.StateStore;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A state store in memory for unit tests, which can be told to fail its writes (a full disk). */
public final class MemoryStateStore implements StateStore {
    private final Map<String, String> values = new ConcurrentHashMap<>();
    private volatile boolean failWrites;

    @Override
    public Optional<String> read(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public void write(String key, String content) {
        if (failWrites) {
            throw new UncheckedIOException("no space left on device", new java.io.IOException("ENOSPC"));
        }
        values.put(key, content);
    }

    @Override
    public void delete(String key) {
        values.remove(key);
    }

    public void failWrites(boolean fail) {
        failWrites = fail;
    }
}
