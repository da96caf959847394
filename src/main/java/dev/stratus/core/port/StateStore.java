package dev.stratus.core.port;

import java.util.Optional;

/**
 * Where the control service keeps what must survive its own restart: the admin API's edits of the resources and
 * the workers it runs (so that a new process adopts them instead of starting them again). Values are whole text
 * documents under short keys, each replaced atomically: a reader sees the old content or the new one, never a
 * mix, also when the writer dies half-way. Locally files in a state directory; in a cluster, a ConfigMap.
 */
public interface StateStore {

    /** Keeps nothing: for a service that is never restarted from its state (tests, benchmarks). */
    StateStore NONE = new StateStore() {
        @Override
        public Optional<String> read(String key) {
            return Optional.empty();
        }

        @Override
        public void write(String key, String content) {
        }

        @Override
        public void delete(String key) {
        }
    };

    /** The document stored under {@code key}, if any. */
    Optional<String> read(String key);

    /**
     * Replaces the document under {@code key} atomically and durably (it survives a crash of this process once
     * this returns). Throws {@link java.io.UncheckedIOException} when it cannot be written.
     */
    void write(String key, String content);

    /** Removes the document under {@code key}; nothing when there is none. */
    void delete(String key);
}
