package dev.stratus.control.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stratus.control.ServiceSpec;
import dev.stratus.testing.MemoryStateStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordedRatesTest {

    @Test
    void aRestartPlansForTheRecordedLoadUntilACleanStop() {
        MemoryStateStore store = new MemoryStateStore();
        RecordedRates rates = new RecordedRates(store);
        assertEquals(Map.of(), rates.read());
        rates.write(Map.of("vad", 240.0));
        ServiceSpec spec = ResourceReaderTest.read(ResourceReaderTest.POOL, ResourceReaderTest.MODEL);
        ServiceSpec resumed = RecordedRates.apply(spec, new RecordedRates(store).read());
        assertEquals(240, resumed.request().model("vad").ratePerSecond(), 0);
        assertEquals(spec.scaling("vad"), resumed.scaling("vad"));
        assertEquals(spec, RecordedRates.apply(spec, Map.of("other", 5.0)), "a model not recorded keeps its rate");
        rates.clear();
        assertEquals(Map.of(), new RecordedRates(store).read());
        store.write(RecordedRates.KEY, "{\"vad\": \"fast\", \"x\": -1, \"y\": 3}");
        assertEquals(Map.of("y", 3.0), new RecordedRates(store).read(), "unusable entries are ignored");
    }
}
