package dev.stratus.dataplane.pipeline.ocr;

/**
 * Images to the models' input tensors (NCHW float, one item), as PaddleOCR prepares them: channels in BGR order
 * (the models were trained on OpenCV's BGR images), the detector's input normalised with ImageNet's mean and
 * spread, the classifier's and recogniser's to [-1, 1]. The sizes are fixed (the catalog's shapes, which the
 * profiles were measured at), so requests of one stage always batch together: the image is scaled to fit and the
 * rest padded.
 */
public final class ImageTensors {
    /** PaddleOCR's detector normalisation, per tensor channel (B, G, R). */
    private static final double[] DET_MEAN = {0.485, 0.456, 0.406};
    private static final double[] DET_STD = {0.229, 0.224, 0.225};

    private ImageTensors() {
    }

    /** A detector input and the factor image pixels were scaled by to make it. */
    public record Detector(float[] chw, int side, double scale) {
    }

    /**
     * The image scaled (bilinear, aspect kept) to fit a {@code side} x {@code side} input, at the top left, the
     * rest padded with the normalised mean (0).
     */
    public static Detector detector(RgbImage img, int side) {
        double scale = Math.min((double) side / img.width(), (double) side / img.height());
        int w = Math.max(1, Math.min(side, (int) Math.round(img.width() * scale)));
        int h = Math.max(1, Math.min(side, (int) Math.round(img.height() * scale)));
        float[] out = new float[3 * side * side];
        int plane = side * side;
        for (int y = 0; y < h; y++) {
            double sy = (y + 0.5) / scale;
            for (int x = 0; x < w; x++) {
                double sx = (x + 0.5) / scale;
                for (int c = 0; c < 3; c++) {
                    // Tensor channel c holds BGR channel c, i.e. RGB channel 2 - c.
                    double v = img.sample(sx, sy, 2 - c) / 255.0;
                    out[c * plane + y * side + x] = (float) ((v - DET_MEAN[c]) / DET_STD[c]);
                }
            }
        }
        return new Detector(out, side, scale);
    }

    /**
     * A text line for the classifier or the recogniser: scaled (bilinear) to {@code height} rows, as wide as its
     * aspect ratio asks up to {@code width} (a longer line is squeezed), values (v / 255 − 0.5) / 0.5, padded with
     * 0 on the right.
     */
    public static float[] line(RgbImage crop, int height, int width) {
        double ratio = (double) crop.width() / crop.height();
        int w = Math.max(1, Math.min(width, (int) Math.ceil(height * ratio)));
        double sx = (double) crop.width() / w;
        double sy = (double) crop.height() / height;
        float[] out = new float[3 * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = crop.sample((x + 0.5) * sx, (y + 0.5) * sy, 2 - c) / 255.0;
                    out[c * plane + y * width + x] = (float) ((v - 0.5) / 0.5);
                }
            }
        }
        return out;
    }

    /**
     * The box's content straightened into its own upright rectangle (bilinear, PaddleOCR's
     * {@code get_rotate_crop_image}); a crop at least 1.5 times taller than wide is a vertical line and is turned
     * to read left to right.
     */
    public static RgbImage crop(RgbImage img, TextBox box) {
        int w = Math.max(1, (int) Math.round(box.width()));
        int h = Math.max(1, (int) Math.round(box.height()));
        TextBox.Point o = box.topLeft();
        double ax = (box.topRight().x() - o.x()) / w;
        double ay = (box.topRight().y() - o.y()) / w;
        double bx = (box.bottomLeft().x() - o.x()) / h;
        double by = (box.bottomLeft().y() - o.y()) / h;
        byte[] out = new byte[3 * w * h];
        for (int v = 0; v < h; v++) {
            for (int u = 0; u < w; u++) {
                double x = o.x() + (u + 0.5) * ax + (v + 0.5) * bx;
                double y = o.y() + (u + 0.5) * ay + (v + 0.5) * by;
                for (int c = 0; c < 3; c++) {
                    out[3 * (v * w + u) + c] = (byte) Math.round(img.sample(x, y, c));
                }
            }
        }
        RgbImage crop = new RgbImage(w, h, out);
        return h >= 1.5 * w ? crop.rotate90CounterClockwise() : crop;
    }
}
