package dev.stratus.dataplane.pipeline.ocr;

import java.util.List;

/**
 * A detected text region: a rotated rectangle given by its four corners in image pixels, clockwise from the
 * top-left one (top-left, top-right, bottom-right, bottom-left as the text reads), and the detector's mean
 * probability inside it.
 */
public record TextBox(List<Point> corners, double score) {
    public TextBox {
        corners = List.copyOf(corners);
        if (corners.size() != 4) {
            throw new IllegalArgumentException("a text box has 4 corners, got " + corners.size());
        }
    }

    /** A point in image pixels (x to the right, y down). */
    public record Point(double x, double y) {
        Point minus(Point o) {
            return new Point(x - o.x, y - o.y);
        }

        double length() {
            return Math.hypot(x, y);
        }
    }

    public Point topLeft() {
        return corners.get(0);
    }

    public Point topRight() {
        return corners.get(1);
    }

    public Point bottomRight() {
        return corners.get(2);
    }

    public Point bottomLeft() {
        return corners.get(3);
    }

    /** Length of the longer of the top and bottom sides. */
    public double width() {
        return Math.max(topRight().minus(topLeft()).length(), bottomRight().minus(bottomLeft()).length());
    }

    /** Length of the longer of the left and right sides. */
    public double height() {
        return Math.max(bottomLeft().minus(topLeft()).length(), bottomRight().minus(topRight()).length());
    }

    /** The box with every coordinate divided by {@code scale} and clamped into a {@code width} x {@code height} image. */
    public TextBox unscaled(double scale, int width, int height) {
        return new TextBox(corners.stream().map(p -> new Point(Math.min(Math.max(p.x() / scale, 0), width),
                Math.min(Math.max(p.y() / scale, 0), height))).toList(), score);
    }
}
