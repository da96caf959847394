package dev.stratus.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoReportTest {

    @Test
    void theFirstSecondsOfLoadAreReportedPerModel() throws Exception {
        // vad: 10 answered per second, the first two seconds with 4 late each; ocr-cls: nothing answered yet.
        StringBuilder vad = new StringBuilder();
        for (int s = 0; s < 12; s++) {
            vad.append(s == 0 ? "" : ",").append(String.format("{\"second\": %d, \"completed\": 10, \"okWithinSlo\": %d}",
                    s, s < 2 ? 6 : 10));
        }
        var load = new ObjectMapper().readTree("{\"series\": [{\"model\": \"vad\", \"seconds\": [" + vad + "]},"
                + " {\"model\": \"ocr-cls\", \"seconds\": []}]}");
        DemoReport report = new DemoReport(load, null, null, List.of(), "");
        assertEquals("first 10 s of load: vad 92.0% (8 misses of 100), ocr-cls 100.0% (0 misses of 0)",
                report.firstSeconds(10));
    }
}
