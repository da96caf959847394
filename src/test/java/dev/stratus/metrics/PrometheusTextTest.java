package dev.stratus.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusTextTest {
    private static final String TEXT = """
            # TYPE stratus_worker_requests_total counter
            stratus_worker_requests_total{model="ocr-cls",outcome="invalid"} 3.0
            stratus_worker_requests_total{model="ocr-cls",outcome="success"} 42.0
            stratus_worker_requests_total{model="ocr-det",outcome="success"} 7.0
            stratus_worker_pending_requests{model="ocr-det"} 2.0
            """;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("stratus_worker_requests_total", new String[] {"model", "ocr-cls", "outcome", "success"},
                        42.0),
                Arguments.of("stratus_worker_requests_total", new String[] {"model", "ocr-det"}, 7.0),
                Arguments.of("stratus_worker_pending_requests", new String[] {"model", "ocr-det"}, 2.0),
                Arguments.of("stratus_worker_pending_requests", new String[] {"model", "vad"}, 0.0),
                Arguments.of("stratus_worker_requests", new String[] {"model", "ocr-det"}, 0.0));
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @MethodSource("cases")
    void readsTheSampleWithAllLabels(String name, String[] labels, double expected) {
        assertEquals(expected, PrometheusText.value(TEXT, name, labels));
    }
}
