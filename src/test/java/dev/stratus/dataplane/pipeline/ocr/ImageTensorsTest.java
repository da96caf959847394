package dev.stratus.dataplane.pipeline.ocr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stratus.dataplane.pipeline.ocr.TextBox.Point;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ImageTensorsTest {
    static RgbImage solid(int w, int h, int r, int g, int b) {
        byte[] p = new byte[3 * w * h];
        for (int i = 0; i < w * h; i++) {
            p[3 * i] = (byte) r;
            p[3 * i + 1] = (byte) g;
            p[3 * i + 2] = (byte) b;
        }
        return new RgbImage(w, h, p);
    }

    /** Each pixel's red is its x, green its y, blue 7. */
    static RgbImage ramp(int w, int h) {
        byte[] p = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[3 * (y * w + x)] = (byte) x;
                p[3 * (y * w + x) + 1] = (byte) y;
                p[3 * (y * w + x) + 2] = 7;
            }
        }
        return new RgbImage(w, h, p);
    }

    @Test
    void theDetectorGetsBgrNormalisedWithImageNetStatistics() {
        ImageTensors.Detector d = ImageTensors.detector(solid(4, 4, 255, 0, 51), 4);
        int plane = 16;
        assertEquals((0.2 - 0.485) / 0.229, d.chw()[0], 1e-5); // channel 0 is blue
        assertEquals((0.0 - 0.456) / 0.224, d.chw()[plane], 1e-5);
        assertEquals((1.0 - 0.406) / 0.225, d.chw()[2 * plane], 1e-5);
        assertEquals(1.0, d.scale());
    }

    /** image size, detector side -> scale, and whether the last column and row are padding (0). */
    @ParameterizedTest
    @CsvSource({"8, 4, 4, 0.5, false, true", "4, 8, 4, 0.5, true, false", "2, 2, 4, 2.0, false, false"})
    void theImageIsScaledToFitAndPadded(int w, int h, int side, double scale, boolean lastColumnPadded,
            boolean lastRowPadded) {
        ImageTensors.Detector d = ImageTensors.detector(solid(w, h, 255, 255, 255), side);
        assertEquals(scale, d.scale());
        float white = (float) ((1 - 0.485) / 0.229);
        assertEquals(lastColumnPadded ? 0f : white, d.chw()[side - 1]);
        assertEquals(lastRowPadded ? 0f : white, d.chw()[(side - 1) * side]);
    }

    /** crop size, target height and width -> the columns the line fills before its padding. */
    static Stream<Arguments> lines() {
        return Stream.of(Arguments.of(100, 10, 48, 320, 320), Arguments.of(20, 10, 48, 320, 96),
                Arguments.of(10, 10, 48, 192, 48), Arguments.of(1000, 10, 48, 192, 192));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void linesKeepTheirAspectUpToTheWidthThenPad(int w, int h, int height, int width, int filled) {
        float[] t = ImageTensors.line(solid(w, h, 255, 255, 255), height, width);
        assertEquals(3 * height * width, t.length);
        assertEquals(1f, t[filled - 1]);
        if (filled < width) {
            assertEquals(0f, t[filled]);
        }
    }

    @Test
    void anUprightBoxCropsExactlyItsPixels() {
        RgbImage img = ramp(20, 10);
        TextBox box = new TextBox(List.of(new Point(5, 2), new Point(9, 2), new Point(9, 4), new Point(5, 4)), 1);
        RgbImage crop = ImageTensors.crop(img, box);
        assertEquals(4, crop.width());
        assertEquals(2, crop.height());
        assertEquals(5, crop.at(0, 0, 0));
        assertEquals(8, crop.at(3, 1, 0));
        assertEquals(3, crop.at(3, 1, 1));
    }

    @Test
    void aTallCropIsTurnedToReadLeftToRight() {
        TextBox box = new TextBox(List.of(new Point(0, 0), new Point(2, 0), new Point(2, 6), new Point(0, 6)), 1);
        RgbImage crop = ImageTensors.crop(ramp(4, 8), box);
        assertArrayEquals(new int[] {6, 2}, new int[] {crop.width(), crop.height()});
    }
}
