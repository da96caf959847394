package dev.stratus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.model.profile.Provenance;
import dev.stratus.core.planning.MapProfileStore;
import dev.stratus.testing.SampleProfiles;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkerThreadsTest {
    /** ocr-rec: 2 threads on the EPYC class, 1 on the Xeon class; vad: 2 threads on the EPYC class only. */
    private static final MapProfileStore PROFILES = new MapProfileStore(List.of(
            profiled("ocr-rec", "cpu-amd-epyc-2c", 2), profiled("ocr-rec", "cpu-intel-xeon-2c", 1),
            profiled("vad", "cpu-amd-epyc-2c", 2), profiled("wakeword", "cpu-intel-xeon-2c", 4)));

    @ParameterizedTest(name = "{0} on {1}: {2} thread(s)")
    @CsvSource({
            // the pool's own class decides, whatever other classes were profiled with
            "ocr-rec, cpu-intel-xeon-2c, 1",
            "ocr-rec, cpu-amd-epyc-2c, 2",
            // no profile on the pool's class: the model's other profiles decide
            "vad, cpu-intel-xeon-2c, 2",
            "ocr-rec, gpu-unknown, 2",
            // a pool the plan does not name: as above
            "ocr-rec, , 2",
            // a co-located group runs with the most any member needs
            "ocr-rec+wakeword, cpu-intel-xeon-2c, 4",
            // no profile anywhere: one thread
            "yolo9000, cpu-intel-xeon-2c, 1",
    })
    void aGroupRunsWithTheThreadsItsModelsWereProfiledWithOnItsClass(String models, String hardwareId, int threads) {
        assertEquals(threads, WorkerThreads.forGroup(Arrays.asList(models.split("\\+")),
                Optional.ofNullable(hardwareId), PROFILES));
    }

    private static Profile profiled(String model, String hardwareId, int threads) {
        Profile p = SampleProfiles.profile(model, hardwareId);
        Provenance v = p.provenance();
        return new Profile(p.model(), new Provenance(v.hardwareId(), v.cpuModel(), v.cpuCores(), v.gpu(),
                v.executionProvider(), threads, v.runtimeVersion(), v.toolVersion(), v.inputShapes(), v.date(), v.note()),
                p.batches(), p.fit(), p.coldStart(), p.coldStartCached());
    }
}
