package dev.stratus.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {
    @TempDir
    Path tmp;

    @Test
    void documentsAreReplacedWholeAndSurviveTheStore() throws Exception {
        Path dir = tmp.resolve("state");
        try (FileStateStore store = FileStateStore.open(dir)) {
            assertEquals(Optional.empty(), store.read("resources"));
            store.write("resources", "one");
            store.write("resources", "two");
            assertEquals(Optional.of("two"), store.read("resources"));
            store.delete("resources");
            store.delete("resources");
            assertEquals(Optional.empty(), store.read("resources"));
            store.write("fleet", "{}");
            assertEquals(Optional.of(OwnerRecord.self()), OwnerRecord.parse(Files.readString(store.path(
                    FileStateStore.OWNER))), "the owner record names this process");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("fleet", "lock", "owner"), files.map(f -> f.getFileName().toString()).sorted()
                    .toList(), "no temporary file left behind");
        }
        try (FileStateStore again = FileStateStore.open(dir)) {
            assertEquals(Optional.of("{}"), again.read("fleet"), "a later service reads what an earlier one wrote");
        }
    }

    @Test
    void oneServiceAtATime() {
        Path dir = tmp.resolve("state");
        try (FileStateStore first = FileStateStore.open(dir)) {
            FileStateStore.StateLockedException e = assertThrows(FileStateStore.StateLockedException.class,
                    () -> FileStateStore.open(dir));
            assertTrue(e.getMessage().contains("in use by another control service (pid "
                    + ProcessHandle.current().pid() + ")") && e.getMessage().contains("--state"), e.getMessage());
            first.write("rates", "{}");
        }
        try (FileStateStore next = FileStateStore.open(dir)) {
            assertEquals(Optional.of("{}"), next.read("rates"), "released by the first");
        }
    }

    @Test
    void keysAreNamesNotPaths() {
        try (FileStateStore store = FileStateStore.open(tmp.resolve("state"))) {
            assertThrows(IllegalArgumentException.class, () -> store.write("../escape", "x"));
            assertThrows(IllegalArgumentException.class, () -> store.read("Fleet"));
        }
    }
}
