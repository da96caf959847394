package dev.stratus.dataplane.pipeline.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextDetectionTest {
    static final int W = 64;
    static final int H = 32;

    /** A probability map with the given value in each rectangle [x0, x1) x [y0, y1). */
    static float[] map(float[][] rects) {
        float[] p = new float[W * H];
        for (float[] r : rects) {
            for (int y = (int) r[1]; y < (int) r[3]; y++) {
                Arrays.fill(p, y * W + (int) r[0], y * W + (int) r[2], r[4]);
            }
        }
        return p;
    }

    /** regions (x0, y0, x1, y1, probability) -> boxes found, their widths and heights after unclipping. */
    static Stream<Arguments> maps() {
        return Stream.of(
                Arguments.of("nothing", new float[][] {}, List.of()),
                // A 20x4 kernel grows by area*1.5/perimeter = 80*1.5/48 = 2.5 on each side: 25 x 9.
                Arguments.of("one line", new float[][] {{10, 10, 30, 14, 0.9f}}, List.of(new double[] {25, 9})),
                Arguments.of("below the box threshold", new float[][] {{10, 10, 30, 14, 0.5f}}, List.of()),
                Arguments.of("below the pixel threshold", new float[][] {{10, 10, 30, 14, 0.2f}}, List.of()),
                Arguments.of("too thin", new float[][] {{10, 10, 30, 12, 0.9f}}, List.of()),
                Arguments.of("two lines", new float[][] {{4, 4, 24, 8, 0.9f}, {4, 20, 44, 26, 0.95f}},
                        List.of(new double[] {25, 9}, new double[] {40 + 2 * 360.0 / 92, 6 + 2 * 360.0 / 92})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maps")
    void boxes(String name, float[][] regions, List<double[]> expected) {
        List<TextBox> boxes = TextDetection.boxes(map(regions), W, H, TextDetection.DEFAULTS);
        assertEquals(expected.size(), boxes.size());
        for (int i = 0; i < boxes.size(); i++) {
            assertEquals(expected.get(i)[0], boxes.get(i).width(), 1e-3, name + " width");
            assertEquals(expected.get(i)[1], boxes.get(i).height(), 1e-3, name + " height");
        }
    }

    @Test
    void wordsOnOneLineReadLeftToRight() {
        // The right word's top is 2 px higher than the left's: still one line, so left comes first.
        List<TextBox> boxes = TextDetection.boxes(map(new float[][] {{40, 10, 60, 16, 0.9f},
                {2, 12, 22, 18, 0.9f}}), W, H, TextDetection.DEFAULTS);
        assertEquals(2, boxes.size());
        assertEquals(true, boxes.get(0).topLeft().x() < boxes.get(1).topLeft().x());
    }

    @Test
    void theScoreIsTheMeanProbabilityInsideTheKernel() {
        float[] p = map(new float[][] {{10, 10, 30, 14, 0.7f}});
        Arrays.fill(p, 10 * W + 10, 10 * W + 30, 0.9f); // one row brighter: mean (0.9 + 3 x 0.7) / 4
        assertEquals(0.75, TextDetection.boxes(p, W, H, TextDetection.DEFAULTS).get(0).score(), 1e-6);
    }

    @Test
    void aMapOfTheWrongSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TextDetection.boxes(new float[10], W, H,
                TextDetection.DEFAULTS));
    }
}
