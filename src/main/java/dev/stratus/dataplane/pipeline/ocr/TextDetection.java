package dev.stratus.dataplane.pipeline.ocr;

import dev.stratus.dataplane.pipeline.ocr.TextBox.Point;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DB post-processing (Liao et al., "Real-time Scene Text Detection with Differentiable Binarization", as PaddleOCR
 * runs it): the detector's probability map is thresholded, each connected region of text pixels is fitted with its
 * smallest rotated rectangle, scored by the mean probability inside it, and grown back ("unclipped") by
 * {@code area × unclipRatio / perimeter} on every side, since DB learns to predict a shrunk text kernel.
 */
public final class TextDetection {
    /**
     * PaddleOCR's defaults: pixel threshold 0.3, box threshold 0.6, unclip ratio 1.5, regions with a side under 3
     * pixels dropped, at most 1000 candidates.
     */
    public static final Settings DEFAULTS = new Settings(0.3, 0.6, 1.5, 3, 1000);

    public record Settings(double pixelThreshold, double boxThreshold, double unclipRatio, int minSide,
            int maxCandidates) {
    }

    private TextDetection() {
    }

    /**
     * The text boxes of a {@code width} x {@code height} probability map (row-major), in map pixels, sorted as
     * text is read: top to bottom, then left to right on a line.
     */
    public static List<TextBox> boxes(float[] probability, int width, int height, Settings s) {
        if (probability.length != width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " map needs " + width * height
                    + " values, got " + probability.length);
        }
        int[] label = new int[probability.length];
        List<TextBox> boxes = new ArrayList<>();
        int[] stack = new int[probability.length];
        int regions = 0;
        for (int start = 0; start < probability.length && regions < s.maxCandidates(); start++) {
            if (label[start] != 0 || !(probability[start] > s.pixelThreshold())) {
                continue;
            }
            regions++;
            List<Point> corners = region(probability, width, height, s.pixelThreshold(), start, regions, label, stack);
            RotatedRect rect = RotatedRect.enclosing(corners);
            if (rect.shortSide() < s.minSide()) {
                continue;
            }
            double score = meanInside(probability, width, height, rect);
            if (score < s.boxThreshold()) {
                continue;
            }
            double perimeter = 2 * (rect.width() + rect.height());
            RotatedRect grown = rect.grown(rect.area() * s.unclipRatio() / perimeter);
            if (grown.shortSide() < s.minSide() + 2) {
                continue;
            }
            boxes.add(new TextBox(grown.corners(), score));
        }
        return readingOrder(boxes);
    }

    /**
     * Flood-fills the 8-connected region from {@code start}, labelling it, and returns the corners of its pixels
     * (each pixel covers [x, x+1) x [y, y+1)); only the boundary's corners matter for the hull, so interior pixels
     * add none.
     */
    private static List<Point> region(float[] p, int w, int h, double threshold, int start, int id, int[] label,
            int[] stack) {
        List<Point> corners = new ArrayList<>();
        int top = 0;
        stack[top++] = start;
        label[start] = id;
        while (top > 0) {
            int i = stack[--top];
            int x = i % w;
            int y = i / w;
            boolean boundary = false;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx;
                    int ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
                        boundary = true;
                        continue;
                    }
                    int j = ny * w + nx;
                    if (!(p[j] > threshold)) {
                        boundary = true;
                    } else if (label[j] == 0) {
                        label[j] = id;
                        stack[top++] = j;
                    }
                }
            }
            if (boundary) {
                corners.add(new Point(x, y));
                corners.add(new Point(x + 1, y));
                corners.add(new Point(x + 1, y + 1));
                corners.add(new Point(x, y + 1));
            }
        }
        return corners;
    }

    /** Mean probability of the map's pixels whose centres lie inside the rectangle. */
    static double meanInside(float[] p, int w, int h, RotatedRect r) {
        double reach = Math.hypot(r.width(), r.height()) / 2;
        int x0 = Math.max(0, (int) Math.floor(r.cx() - reach));
        int x1 = Math.min(w - 1, (int) Math.ceil(r.cx() + reach));
        int y0 = Math.max(0, (int) Math.floor(r.cy() - reach));
        int y1 = Math.min(h - 1, (int) Math.ceil(r.cy() + reach));
        double sum = 0;
        int n = 0;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                if (r.contains(x + 0.5, y + 0.5)) {
                    sum += p[y * w + x];
                    n++;
                }
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /**
     * Top to bottom by the top-left corner, and left to right among boxes whose tops are within 10 pixels (one
     * line), as PaddleOCR's {@code sorted_boxes}.
     */
    static List<TextBox> readingOrder(List<TextBox> boxes) {
        List<TextBox> sorted = new ArrayList<>(boxes);
        sorted.sort(Comparator.comparingDouble((TextBox b) -> b.topLeft().y()).thenComparingDouble(b -> b.topLeft().x()));
        for (int i = 1; i < sorted.size(); i++) {
            for (int j = i; j > 0; j--) {
                TextBox a = sorted.get(j - 1);
                TextBox b = sorted.get(j);
                if (Math.abs(b.topLeft().y() - a.topLeft().y()) < 10 && b.topLeft().x() < a.topLeft().x()) {
                    sorted.set(j - 1, b);
                    sorted.set(j, a);
                } else {
                    break;
                }
            }
        }
        return List.copyOf(sorted);
    }
}
