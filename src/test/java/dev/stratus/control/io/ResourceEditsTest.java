package dev.stratus.control.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.control.ServiceSpec;
import dev.stratus.testing.MemoryStateStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceEditsTest {
    static final List<ResourceReader.Resource> FILES = ResourceReader.parse(ResourceReaderTest.POOL + "---\n"
            + ResourceReaderTest.MODEL, "dir/resources.yaml");
    static final ResourceReader.Resource WAKEWORD = ResourceReader.parseOne("""
            apiVersion: stratus.dev/v1alpha1
            kind: InferenceModel
            metadata: {name: wakeword}
            spec: {slo: {latencyMs: 100, percentile: 99}, expectedRatePerSecond: 5}
            """, "request body");
    static final ResourceReader.Resource VAD_EDITED = ResourceReader.parseOne(ResourceReaderTest.MODEL
            .replace("expectedRatePerSecond: 100", "expectedRatePerSecond: 40"), "request body");

    static List<String> names(List<ResourceReader.Resource> rs) {
        return rs.stream().map(r -> r.kind() + "/" + r.name()).toList();
    }

    @Test
    void editsSurviveARestartOverTheFiles() {
        MemoryStateStore store = new MemoryStateStore();
        ResourceEdits edits = ResourceEdits.load(store, "state/resources", FILES);
        assertEquals(FILES, edits.applyTo(FILES), "no edits: the files as they are");
        edits.put(WAKEWORD);
        edits.put(VAD_EDITED);

        // A new service reads the same store: the added model joins, the edited one replaces the file's.
        ResourceEdits after = ResourceEdits.load(store, "state/resources", FILES);
        List<ResourceReader.Resource> resources = after.applyTo(FILES);
        assertEquals(List.of("AcceleratorPool/p", "InferenceModel/vad", "InferenceModel/wakeword"), names(resources));
        ServiceSpec spec = ResourceReader.toSpec(resources);
        assertEquals(40, spec.request().model("vad").ratePerSecond(), 0);
        assertEquals(5, spec.request().model("wakeword").ratePerSecond(), 0);

        // Deleting a file's resource is remembered; deleting one only the API added leaves nothing behind.
        after.delete("InferenceModel", "vad");
        after.delete("InferenceModel", "wakeword");
        ResourceEdits third = ResourceEdits.load(store, "state/resources", FILES);
        assertEquals(List.of("AcceleratorPool/p"), names(third.applyTo(FILES)));
        assertEquals(1, third.size(), "one deletion of a file's resource");
        assertTrue(store.read(ResourceEdits.KEY).orElseThrow().contains("\"deleted\" : true"));
    }

    @Test
    void aChangeThatCannotBeStoredIsUndone() {
        MemoryStateStore store = new MemoryStateStore();
        ResourceEdits edits = ResourceEdits.load(store, "state/resources", FILES);
        ResourceSet set = new ResourceSet(FILES, edits);
        List<ServiceSpec> applied = new ArrayList<>();
        store.failWrites(true);
        ResourceSet.NotRecordedException e = assertThrows(ResourceSet.NotRecordedException.class,
                () -> set.put(WAKEWORD, applied::add));
        assertTrue(e.getMessage().contains("no space left on device"), e.getMessage());
        assertEquals(2, applied.size(), "applied, then the previous resources applied again");
        assertEquals(1, applied.get(1).request().models().size());
        assertTrue(set.find("InferenceModel", "wakeword").isEmpty(), "the set is unchanged");
        store.failWrites(false);
        assertTrue(set.put(WAKEWORD, applied::add), "created");
        assertEquals(3, ResourceEdits.load(store, "s", FILES).applyTo(FILES).size());
    }

    @Test
    void aDamagedStoreIsReportedWithWhereItIs() {
        MemoryStateStore store = new MemoryStateStore();
        store.write(ResourceEdits.KEY, "{not json");
        ResourceException e = assertThrows(ResourceException.class,
                () -> ResourceEdits.load(store, "/srv/state/resources", FILES));
        assertTrue(e.getMessage().startsWith("/srv/state/resources: not valid JSON"), e.getMessage());
        store.write(ResourceEdits.KEY, """
                {"edits": [{"kind": "InferenceModel", "name": "x", "document": {"apiVersion": "v0"}}]}""");
        e = assertThrows(ResourceException.class, () -> ResourceEdits.load(store, "/srv/state/resources", FILES));
        assertTrue(e.getMessage().startsWith("/srv/state/resources (edit 1)"), e.getMessage());
    }
}
