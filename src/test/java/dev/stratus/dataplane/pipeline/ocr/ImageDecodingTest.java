package dev.stratus.dataplane.pipeline.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageDecodingTest {
    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out));
        return out.toByteArray();
    }

    static BufferedImage halves(int type) {
        BufferedImage img = new BufferedImage(8, 4, type);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(200, 30, 40));
        g.fillRect(0, 0, 4, 4);
        g.setColor(new Color(10, 220, 90));
        g.fillRect(4, 0, 4, 4);
        g.dispose();
        return img;
    }

    @Test
    void pngDecodesToItsExactPixels() throws IOException {
        RgbImage img = ImageDecoding.decode(encode(halves(BufferedImage.TYPE_INT_RGB), "png"));
        assertEquals(8, img.width());
        assertEquals(4, img.height());
        assertEquals(200, img.at(1, 1, 0));
        assertEquals(220, img.at(6, 2, 1));
        assertEquals(90, img.at(7, 3, 2));
    }

    @Test
    void jpegDecodesCloseToItsPixels() throws IOException {
        RgbImage img = ImageDecoding.decode(encode(halves(BufferedImage.TYPE_INT_RGB), "jpeg"));
        assertEquals(8, img.width());
        assertTrue(Math.abs(img.at(1, 1, 0) - 200) < 30);
        assertTrue(Math.abs(img.at(6, 2, 1) - 220) < 30);
    }

    @Test
    void transparentPixelsAreLaidOverWhite() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00000000); // transparent black
        img.setRGB(1, 0, 0xff000000); // opaque black
        RgbImage rgb = ImageDecoding.decode(encode(img, "png"));
        assertEquals(255, rgb.at(0, 0, 0));
        assertEquals(0, rgb.at(1, 0, 0));
    }

    /** bytes -> the start of the error message. */
    static Stream<Arguments> bad() throws IOException {
        byte[] png = encode(halves(BufferedImage.TYPE_INT_RGB), "png");
        return Stream.of(
                Arguments.of(new byte[0], "image bytes are neither PNG nor JPEG (0 bytes, starting empty)"),
                Arguments.of("GIF89a...".getBytes(), "image bytes are neither PNG nor JPEG (9 bytes, starting 47494638)"),
                Arguments.of(Arrays.copyOf(png, 40), "not a readable png image"),
                Arguments.of(hugePngHeader(), "png image of 100000x100000 pixels exceeds the limit"));
    }

    @ParameterizedTest
    @MethodSource("bad")
    void badBytesAreRefusedWithTheReason(byte[] bytes, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageDecoding.decode(bytes));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    /** A PNG signature and a valid IHDR chunk announcing 100000 x 100000 pixels, and nothing else. */
    static byte[] hugePngHeader() {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(100_000).putInt(100_000)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }
}
