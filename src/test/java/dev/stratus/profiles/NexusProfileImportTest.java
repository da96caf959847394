package dev.stratus.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.model.profile.Profile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NexusProfileImportTest {
    static final String SAMPLE = """
            caffe:vgg_s:1
            TITAN_X_(Pascal)
            Forward latency
            batch,latency(us),std(us),memory(B)
            1,3069.5,12.394,645857280
            2,3641.4,12.6684,662634496
            3,4667.5,27.2325,677314560
            4,5866.2,58.4081,702480384
            Preprocess latency
            mean(us),std(us)
            3280.8,3454.05
            Postprocess latency
            mean(us),std(us)
            1.2005,0.919081
            """;
    static final ColdStart COLD = new ColdStart(1800, 2400, 600, 1200, false);

    static Profile convert(String text, int maxBatch) {
        return NexusProfileImport.convert(text, "vgg-s", "gpu-titanx-pascal", maxBatch,
                Map.of("data", List.of(1L, 3L, 224L, 224L)), COLD, "sample.txt", "2026-12-04T00:00:00Z");
    }

    @Test
    void forwardLatencyRowsBecomeBatchMeasurementsInMilliseconds() {
        Profile p = convert(SAMPLE, 64);
        assertEquals(4, p.batches().size(), "the pre- and post-processing sections are not batches");
        assertEquals(3.0695, p.batches().get(0).meanMs(), 1e-9);
        assertEquals(0.012394, p.batches().get(0).stdMs(), 1e-9);
        assertEquals(3.0695 + 2.326 * 0.012394, p.batches().get(0).p99Ms(), 1e-9);
        assertEquals(4 * 1000 / 5.8662, p.batches().get(3).throughputPerSecond(), 1e-6);
        assertEquals(702480384, p.batches().get(3).memoryBytes());
        assertEquals("TITAN_X_(Pascal)", p.provenance().gpu());
        assertTrue(p.provenance().note().contains("sample.txt") && p.provenance().note().contains("assumed 6000 ms"));
        assertEquals(COLD, p.coldStart());
    }

    @Test
    void maxBatchCutsTheTable() {
        assertEquals(2, convert(SAMPLE, 2).batches().size());
    }

    @Test
    void theConvertedProfilePassesTheSchemaAndRoundTrips(@TempDir Path dir) {
        FileProfileStore store = new FileProfileStore(dir);
        store.save(convert(SAMPLE, 64));
        Profile read = store.find("vgg-s", "gpu-titanx-pascal").orElseThrow();
        Profile written = convert(SAMPLE, 64);
        assertEquals(written.batches().size(), read.batches().size());
        for (int i = 0; i < read.batches().size(); i++) {
            // the store writes six significant digits
            assertEquals(written.batches().get(i).p99Ms(), read.batches().get(i).p99Ms(), 1e-5);
            assertEquals(written.batches().get(i).meanMs(), read.batches().get(i).meanMs(), 1e-9);
        }
    }

    @Test
    void otherTextIsRefusedWithAReason() {
        ProfileException e = assertThrows(ProfileException.class, () -> convert("batch,mean\n1,2\n", 64));
        assertTrue(e.getMessage().startsWith("not a Nexus profile"), e.getMessage());
    }

    @Test
    void theCommittedGpuProfilesReadBack() {
        FileProfileStore store = new FileProfileStore(Path.of("profiles"));
        Profile vgg = store.find("vgg-s", "gpu-titanx-pascal").orElseThrow();
        assertEquals(64, vgg.maxBatch());
        assertEquals(3.0695, vgg.batches().get(0).meanMs(), 1e-9);
        Profile yolo = store.find("yolo9000", "gpu-titanx-pascal").orElseThrow();
        assertEquals(21.6757, yolo.batches().get(0).meanMs(), 1e-9);
    }
}
