package dev.stratus.backend.local;

import dev.stratus.core.port.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The state store of the local control service: one file per key in a state directory, each written to a
 * temporary file, flushed to disk and renamed over the old one (a rename within a directory is atomic, so a
 * crash leaves the old content or the new, never half). One control service at a time may use a directory: it
 * holds an exclusive lock on {@code lock} while it runs (the OS releases it when the process dies, however it
 * dies), and records itself in {@code owner}, the file its workers follow.
 */
public final class FileStateStore implements StateStore, AutoCloseable {
    /** The key of the owner record: this process, as its workers must see it. */
    public static final String OWNER = "owner";
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private FileStateStore(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating it if needed) a state directory for this process alone and records this process as its
     * owner. Throws {@link StateLockedException} when another live process holds it.
     */
    public static FileStateStore open(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
            FileChannel channel = FileChannel.open(absolute.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                channel.close();
                String holder = read(absolute.resolve(OWNER)).flatMap(OwnerRecord::parse)
                        .map(o -> "pid " + o.pid()).orElse("another process");
                throw new StateLockedException("state directory " + absolute + " is in use by another control "
                        + "service (" + holder + "); stop it, or give this one its own with --state DIR");
            }
            FileStateStore store = new FileStateStore(absolute, channel, lock);
            store.write(OWNER, OwnerRecord.self().format());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use state directory " + absolute + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The file of a key (the owner record is read by the workers themselves). */
    public Path path(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("state key must be a lower-case name: '" + key + "'");
        }
        return dir.resolve(key);
    }

    @Override
    public Optional<String> read(String key) {
        return read(path(key));
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String key, String content) {
        Path target = path(key);
        Path temp = dir.resolve("." + key + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(StandardCharsets.UTF_8.encode(content));
                out.force(true); // the bytes are on disk before the rename makes them the content
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("this file system cannot rename atomically", e);
            }
            syncDirectory(); // the rename itself survives a crash
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(path(key));
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path(key) + ": " + e.getMessage(), e);
        }
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory for sync; the rename is still atomic there.
        }
    }

    /** Releases the directory for the next control service. */
    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // released by the OS when the process ends anyway
        }
    }

    /** Another control service holds the state directory. */
    public static final class StateLockedException extends IllegalStateException {
        public StateLockedException(String message) {
            super(message);
        }
    }
}
