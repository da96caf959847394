package dev.stratus.dataplane.pipeline.ocr;

/**
 * An 8-bit RGB image, row-major with interleaved channels ({@code pixels[3 * (y * width + x) + c]}, c = 0 red,
 * 1 green, 2 blue), the layout of the raw image tensor {@code [H, W, 3]} a client may send. The array is owned
 * by the image: callers never change it after construction.
 */
public record RgbImage(int width, int height, byte[] pixels) {
    /** The most pixels an image may have: a 16-megapixel photo, far above what the detector's input keeps. */
    public static final long MAX_PIXELS = 16L << 20;

    public RgbImage {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("an image needs at least one pixel, got " + width + "x" + height);
        }
        if ((long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException("image of " + width + "x" + height + " pixels exceeds the limit of "
                    + MAX_PIXELS + " pixels");
        }
        if (pixels.length != 3 * width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs " + 3 * width * height
                    + " bytes, got " + pixels.length);
        }
    }

    /** Channel {@code c} of pixel (x, y), 0..255. */
    public int at(int x, int y, int c) {
        return pixels[3 * (y * width + x) + c] & 0xff;
    }

    /** Bilinear sample of channel {@code c} at a real position (pixel centres at integer + 0.5), edges clamped. */
    public double sample(double x, double y, int c) {
        double fx = Math.min(Math.max(x - 0.5, 0), width - 1);
        double fy = Math.min(Math.max(y - 0.5, 0), height - 1);
        int x0 = (int) fx;
        int y0 = (int) fy;
        int x1 = Math.min(x0 + 1, width - 1);
        int y1 = Math.min(y0 + 1, height - 1);
        double ax = fx - x0;
        double ay = fy - y0;
        double top = at(x0, y0, c) * (1 - ax) + at(x1, y0, c) * ax;
        double bottom = at(x0, y1, c) * (1 - ax) + at(x1, y1, c) * ax;
        return top * (1 - ay) + bottom * ay;
    }

    /** The image turned by 180 degrees (a text line the classifier found upside down). */
    public RgbImage rotate180() {
        byte[] out = new byte[pixels.length];
        int n = width * height;
        for (int i = 0; i < n; i++) {
            System.arraycopy(pixels, 3 * i, out, 3 * (n - 1 - i), 3);
        }
        return new RgbImage(width, height, out);
    }

    /** The image turned by 90 degrees counter-clockwise (a tall crop becomes a line read left to right). */
    public RgbImage rotate90CounterClockwise() {
        byte[] out = new byte[pixels.length];
        // Output is height wide and width high: output (x', y') shows input (width - 1 - y', x').
        for (int y = 0; y < width; y++) {
            for (int x = 0; x < height; x++) {
                System.arraycopy(pixels, 3 * (x * width + (width - 1 - y)), out, 3 * (y * height + x), 3);
            }
        }
        return new RgbImage(height, width, out);
    }
}
