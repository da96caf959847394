package dev.stratus.dataplane.pipeline.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TextRecognitionTest {
    /** Classes: 0 blank, 1 'a', 2 'b', 3 'c', 4 space. */
    static final CharacterDictionary ABC = CharacterDictionary.parse("a\nb\nc\n");

    /** One step per class index, that class at probability p, the rest sharing what is left. */
    static float[] path(int[] best, float p) {
        int classes = ABC.classes();
        float[] probs = new float[best.length * classes];
        for (int t = 0; t < best.length; t++) {
            for (int k = 0; k < classes; k++) {
                probs[t * classes + k] = k == best[t] ? p : (1 - p) / (classes - 1);
            }
        }
        return probs;
    }

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of(new int[] {}, ""),
                Arguments.of(new int[] {0, 0, 0}, ""),
                Arguments.of(new int[] {1, 1, 1}, "a"),
                Arguments.of(new int[] {1, 0, 1}, "aa"),
                Arguments.of(new int[] {2, 2, 0, 1, 3, 3}, "bac"),
                Arguments.of(new int[] {1, 4, 4, 2}, "a b"),
                Arguments.of(new int[] {0, 3, 0, 0, 3, 0}, "cc"));
    }

    @ParameterizedTest
    @MethodSource("paths")
    void greedyCtcMergesRepeatsAndDropsBlanks(int[] best, String text) {
        TextRecognition.Decoded d = TextRecognition.ctc(path(best, 0.8f), best.length, ABC.classes(), ABC);
        assertEquals(text, d.text());
        assertEquals(text.isEmpty() ? 0 : 0.8, d.score(), 1e-6);
    }

    @Test
    void theScoreIsTheMeanOfTheKeptCharacters() {
        float[] probs = path(new int[] {1, 2}, 0.9f);
        probs[ABC.classes() + 2] = 0.5f; // the 'b' step less sure
        assertEquals(0.7, TextRecognition.ctc(probs, 2, ABC.classes(), ABC).score(), 1e-6);
    }

    @Test
    void aDictionaryOfTheWrongSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TextRecognition.ctc(new float[10], 2, 5,
                CharacterDictionary.parse("a\nb\n")));
    }

    @ParameterizedTest
    @CsvSource({"0.99, 0.01, false", "0.01, 0.99, true", "0.05, 0.85, false", "0.5, 0.5, false"})
    void onlyConfidentlyUpsideDownLinesAreTurned(float upright, float turned, boolean turn) {
        assertEquals(turn, TextRecognition.upsideDown(upright, turned));
    }

    static Stream<Arguments> dictionaries() {
        return Stream.of(Arguments.of("a\nb\n", 4), Arguments.of("a\r\nb", 4), Arguments.of("x", 3));
    }

    @ParameterizedTest
    @MethodSource("dictionaries")
    void theDictionaryAddsTheBlankAndTheSpace(String text, int classes) {
        CharacterDictionary d = CharacterDictionary.parse(text);
        assertEquals(classes, d.classes());
        assertEquals("", d.character(CharacterDictionary.BLANK));
        assertEquals(" ", d.character(classes - 1));
    }
}
