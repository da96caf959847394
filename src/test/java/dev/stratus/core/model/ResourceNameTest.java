package dev.stratus.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"vad", "ocr-cls", "a", "0", "local-cpu-2", "x1-y2-z3"})
    void labelsAreValid(String name) {
        assertTrue(ResourceName.problem(name).isEmpty(), name);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "''          | must be set",
            "Vad         | 'Vad' is not a DNS-1123 label",
            "-vad        | is not a DNS-1123 label",
            "vad-        | is not a DNS-1123 label",
            "ocr_cls     | is not a DNS-1123 label",
            "ocr.cls     | is not a DNS-1123 label",
            "../etc      | '../etc' is not a DNS-1123 label",
            "a/b         | is not a DNS-1123 label",
            "'a b'       | is not a DNS-1123 label",
            "vad\u00e9   | is not a DNS-1123 label"
    })
    void otherNamesAreRefusedSayingWhy(String name, String expected) {
        String problem = ResourceName.problem(name).orElseThrow();
        assertTrue(problem.contains(expected), problem);
    }

    @Test
    void lengthIsCappedAt63() {
        assertTrue(ResourceName.problem("a".repeat(63)).isEmpty());
        assertTrue(ResourceName.problem("a".repeat(64)).orElseThrow().contains("at most 63"));
    }

    @Test
    void controlCharactersAreShownEscaped() {
        assertTrue(ResourceName.problem("a\nb").orElseThrow().contains("'a\\u000ab'"));
    }

    @Test
    void requireNamesTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResourceName.require("model", "Bad"));
        assertTrue(e.getMessage().startsWith("model: 'Bad'"), e.getMessage());
        assertEquals("vad", ResourceName.require("model", "vad"));
        assertThrows(IllegalArgumentException.class, () -> ResourceName.require("model", null));
    }
}
