package dev.stratus.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.profile.Profile;
import dev.stratus.testing.SampleProfiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileProfileStoreTest {
    @TempDir
    Path root;

    static Profile profile(String model, String hw) {
        return SampleProfiles.profile(model, hw);
    }

    @Test
    void savesAndReadsBack() {
        FileProfileStore store = new FileProfileStore(root);
        Profile p = profile("ocr-cls", "cpu-amd-epyc-2c");
        store.save(p);
        store.save(profile("ocr-cls", "gpu-nvidia-h100"));
        store.save(profile("vad", "cpu-amd-epyc-2c"));
        assertEquals(p, store.find("ocr-cls", "cpu-amd-epyc-2c").orElseThrow());
        assertEquals(2, store.forModel("ocr-cls").size());
        assertEquals(List.of("ocr-cls", "vad"), store.models());
        assertTrue(store.find("ocr-cls", "cpu-other-4c").isEmpty());
        assertTrue(Files.exists(root.resolve("ocr-cls/cpu-amd-epyc-2c.yaml")));
    }

    /** Each row edits one line of a valid file; the error must name the file and the field. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing p99        | '  p99Ms: 1.9'                | ''                         | batches",
            "text for a number  | '  meanMs: 1.5'               | '  meanMs: fast'           | meanMs",
            "negative std       | '  stdMs: 0.1'                | '  stdMs: -0.1'            | stdMs",
            "unknown field      | 'schemaVersion: 1'            | 'schemaVersion: 1\nspeed: 3' | speed",
            "wrong version      | 'schemaVersion: 1'            | 'schemaVersion: 2'         | schemaVersion",
            "p95 below p50      | '  p95Ms: 1.7'                | '  p95Ms: 1.0'             | batch 1",
            "fit kind           | '  kind: linear'              | '  kind: cubic'            | fit.kind",
            "hardware id        | '  hardwareId: cpu-amd-epyc-2c' | '  hardwareId: CPU 1'    | hardwareId",
            "file name mismatch | '  hardwareId: cpu-amd-epyc-2c' | '  hardwareId: cpu-x-2c' | file is named"
    })
    void malformedFilesNameTheFileAndField(String name, String find, String replace, String field) throws IOException {
        FileProfileStore store = new FileProfileStore(root);
        store.save(profile("ocr-cls", "cpu-amd-epyc-2c"));
        Path file = root.resolve("ocr-cls/cpu-amd-epyc-2c.yaml");
        String text = Files.readString(file);
        assertTrue(text.contains(find + "\n"), "fixture has '" + find + "':\n" + text);
        Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(find + "\n"),
                java.util.regex.Matcher.quoteReplacement(replace.replace("\\n", "\n") + (replace.isEmpty() ? "" : "\n"))));
        ProfileException e = assertThrows(ProfileException.class, () -> store.find("ocr-cls", "cpu-amd-epyc-2c"));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(field), name + ": " + e.getMessage());
    }

    @Test
    void notYamlIsAClearError() throws IOException {
        Path file = root.resolve("vad/cpu-amd-epyc-2c.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "model: [unclosed\n");
        ProfileException e = assertThrows(ProfileException.class, () -> new FileProfileStore(root).forModel("vad"));
        assertTrue(e.getMessage().contains("not valid YAML") && e.getMessage().contains(file.toString()),
                e.getMessage());
    }

    @Test
    void refusesNamesThatWouldLeaveTheStore() {
        FileProfileStore store = new FileProfileStore(root);
        assertThrows(ProfileException.class, () -> store.find("../etc", "cpu-x-2c"));
        assertThrows(ProfileException.class, () -> store.find("vad", "../../passwd"));
    }

    @Test
    void committedProfilesAllMatchTheSchema() {
        FileProfileStore committed = new FileProfileStore(Path.of("profiles"));
        for (String model : committed.models()) {
            for (Profile p : committed.forModel(model)) {
                assertEquals(model, p.model());
                assertTrue(p.batches().size() >= 1);
            }
        }
    }
}
