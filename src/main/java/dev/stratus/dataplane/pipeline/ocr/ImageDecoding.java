package dev.stratus.dataplane.pipeline.ocr;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * PNG and JPEG bytes to an {@link RgbImage} with the JDK's own decoders (javax.imageio). The format is told by
 * its signature, and the size is read from the header before any pixel is decoded, so a small file claiming a
 * huge image is refused without allocating it. Transparent pixels are laid over white (text drawn on a
 * transparent background stays readable).
 */
public final class ImageDecoding {
    private ImageDecoding() {
    }

    /** @throws IllegalArgumentException naming what is wrong with the bytes */
    public static RgbImage decode(byte[] bytes) {
        String format = format(bytes);
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalArgumentException("no " + format + " decoder in this runtime");
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int width;
            int height;
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw unreadable(format, e);
            }
            if ((long) width * height > RgbImage.MAX_PIXELS) {
                throw new IllegalArgumentException(format + " image of " + width + "x" + height
                        + " pixels exceeds the limit of " + RgbImage.MAX_PIXELS + " pixels");
            }
            try {
                return rgb(reader.read(0));
            } catch (IOException | RuntimeException e) {
                throw unreadable(format, e);
            }
        } catch (IOException e) {
            throw unreadable(format, e);
        } finally {
            reader.dispose();
        }
    }

    private static IllegalArgumentException unreadable(String format, Exception e) {
        return new IllegalArgumentException("not a readable " + format + " image: " + e.getMessage());
    }

    /** "png" or "jpeg" from the file signature. */
    static String format(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "png";
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "jpeg";
        }
        throw new IllegalArgumentException("image bytes are neither PNG nor JPEG (" + b.length + " bytes, starting "
                + hex(b) + ")");
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(4, b.length); i++) {
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s.isEmpty() ? "empty" : s.toString();
    }

    /** The decoded image's pixels as interleaved RGB, alpha laid over white. */
    public static RgbImage rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[3 * w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                int a = argb >>> 24;
                for (int c = 0; c < 3; c++) {
                    int v = (argb >> (16 - 8 * c)) & 0xff;
                    out[3 * (y * w + x) + c] = (byte) ((v * a + 255 * (255 - a) + 127) / 255);
                }
            }
        }
        return new RgbImage(w, h, out);
    }
}
