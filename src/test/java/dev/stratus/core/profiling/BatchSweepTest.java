package dev.stratus.core.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchSweepTest {

    static List<Integer> list(String csv) {
        return csv.isBlank() ? List.of() : Arrays.stream(csv.split(";")).map(String::trim).map(Integer::valueOf).toList();
    }

    @ParameterizedTest(name = "{0} on max {1} -> {2}")
    @CsvSource({
            "'4;1;2', 16, '1;2;4'",
            "'1', 1, '1'",
            "'8;16', 16, '8;16'"
    })
    void acceptsAndSorts(String requested, int max, String expected) {
        assertEquals(list(expected), BatchSweep.of(list(requested), "m", max).batches());
    }

    @ParameterizedTest(name = "{0} on max {1}: {2}")
    @CsvSource({
            "'', 16, 'batch list is empty'",
            "'0', 16, 'must be >= 1'",
            "'2;2', 16, 'listed twice'",
            "'1;32', 16, 'at most 16'",
            "'2', 1, 'batch dimension is fixed'"
    })
    void refusesWithAReason(String requested, int max, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchSweep.of(list(requested), "m", max));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void defaultListIsClippedToTheModel() {
        assertEquals(List.of(1, 2, 4, 8, 16), BatchSweep.of(null, "m", 64).batches());
        assertEquals(List.of(1, 2, 4), BatchSweep.of(null, "m", 6).batches());
        assertEquals(List.of(1), BatchSweep.of(null, "m", 1).batches());
    }
}
