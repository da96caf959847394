package dev.stratus.dataplane.pipeline.ocr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RgbImageTest {
    /** 3 x 2, each pixel's red channel its index: 0 1 2 / 3 4 5. */
    static RgbImage numbered() {
        byte[] p = new byte[18];
        for (int i = 0; i < 6; i++) {
            p[3 * i] = (byte) i;
        }
        return new RgbImage(3, 2, p);
    }

    static int[] reds(RgbImage img) {
        int[] out = new int[img.width() * img.height()];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                out[y * img.width() + x] = img.at(x, y, 0);
            }
        }
        return out;
    }

    @Test
    void turningByHalfAndQuarterTurns() {
        assertArrayEquals(new int[] {5, 4, 3, 2, 1, 0}, reds(numbered().rotate180()));
        RgbImage ccw = numbered().rotate90CounterClockwise();
        assertEquals(2, ccw.width());
        assertEquals(3, ccw.height());
        assertArrayEquals(new int[] {2, 5, 1, 4, 0, 3}, reds(ccw));
    }

    /** Positions in pixel units (centres at +0.5) and the bilinear value of the red channel there. */
    @ParameterizedTest
    @CsvSource({"0.5, 0.5, 0", "1.0, 0.5, 0.5", "1.5, 1.0, 2.5", "2.5, 1.5, 5", "10, 10, 5", "-3, -3, 0"})
    void bilinearSamplesClampAtTheEdges(double x, double y, double red) {
        assertEquals(red, numbered().sample(x, y, 0), 1e-9);
    }

    @Test
    void sizesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(0, 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new byte[11]));
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(1 << 13, 1 << 12, new byte[3]));
    }
}
