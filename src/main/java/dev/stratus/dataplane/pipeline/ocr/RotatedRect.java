package dev.stratus.dataplane.pipeline.ocr;

import dev.stratus.dataplane.pipeline.ocr.TextBox.Point;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A rectangle at any angle: centre, side lengths along its own axes ({@code ux, uy} is the unit direction of the
 * {@code width} side), the shape a text region's pixels are fitted with (OpenCV's {@code minAreaRect}, here from
 * a convex hull and rotating calipers).
 */
public record RotatedRect(double cx, double cy, double width, double height, double ux, double uy) {

    /**
     * The smallest-area rectangle holding every point. The optimum has a side along an edge of the convex hull,
     * so each hull edge is tried (hulls of text regions have few edges).
     */
    public static RotatedRect enclosing(List<Point> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no points to enclose");
        }
        List<Point> hull = convexHull(points);
        if (hull.size() == 1) {
            return new RotatedRect(hull.get(0).x(), hull.get(0).y(), 0, 0, 1, 0);
        }
        RotatedRect best = null;
        for (int i = 0; i < hull.size(); i++) {
            Point a = hull.get(i);
            Point b = hull.get((i + 1) % hull.size());
            double len = Math.hypot(b.x() - a.x(), b.y() - a.y());
            if (len == 0) {
                continue;
            }
            RotatedRect r = along(hull, (b.x() - a.x()) / len, (b.y() - a.y()) / len);
            if (best == null || r.area() < best.area() - 1e-9) {
                best = r;
            }
        }
        // Every hull edge of zero length: the points are all one point.
        return best != null ? best : new RotatedRect(hull.get(0).x(), hull.get(0).y(), 0, 0, 1, 0);
    }

    /** The bounding rectangle of the points on the axes (ux, uy) and its normal. */
    private static RotatedRect along(List<Point> pts, double ux, double uy) {
        double minU = Double.POSITIVE_INFINITY;
        double maxU = Double.NEGATIVE_INFINITY;
        double minV = Double.POSITIVE_INFINITY;
        double maxV = Double.NEGATIVE_INFINITY;
        for (Point p : pts) {
            double u = p.x() * ux + p.y() * uy;
            double v = -p.x() * uy + p.y() * ux;
            minU = Math.min(minU, u);
            maxU = Math.max(maxU, u);
            minV = Math.min(minV, v);
            maxV = Math.max(maxV, v);
        }
        double cu = (minU + maxU) / 2;
        double cv = (minV + maxV) / 2;
        return new RotatedRect(cu * ux - cv * uy, cu * uy + cv * ux, maxU - minU, maxV - minV, ux, uy);
    }

    /** Andrew's monotone chain: the hull counter-clockwise (in y-up terms), without collinear points. */
    static List<Point> convexHull(List<Point> points) {
        Point[] p = points.toArray(Point[]::new);
        Arrays.sort(p, Comparator.comparingDouble(Point::x).thenComparingDouble(Point::y));
        List<Point> hull = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            int start = hull.size();
            for (int k = 0; k < p.length; k++) {
                Point q = pass == 0 ? p[k] : p[p.length - 1 - k];
                while (hull.size() >= start + 2 && cross(hull.get(hull.size() - 2), hull.get(hull.size() - 1), q) <= 0) {
                    hull.remove(hull.size() - 1);
                }
                hull.add(q);
            }
            hull.remove(hull.size() - 1);
        }
        return hull.isEmpty() ? List.of(p[0]) : hull;
    }

    private static double cross(Point o, Point a, Point b) {
        return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
    }

    public double area() {
        return width * height;
    }

    public double shortSide() {
        return Math.min(width, height);
    }

    /** The same rectangle grown by {@code d} on every side. */
    public RotatedRect grown(double d) {
        return new RotatedRect(cx, cy, width + 2 * d, height + 2 * d, ux, uy);
    }

    /** Whether (x, y) lies inside. */
    public boolean contains(double x, double y) {
        double dx = x - cx;
        double dy = y - cy;
        return Math.abs(dx * ux + dy * uy) <= width / 2 && Math.abs(-dx * uy + dy * ux) <= height / 2;
    }

    /**
     * The corners as a text box reads them: top-left, top-right, bottom-right, bottom-left, found as PaddleOCR's
     * {@code get_mini_boxes} does (the two leftmost corners, the upper one first; then the two rightmost).
     */
    public List<Point> corners() {
        double hx = ux * width / 2;
        double hy = uy * width / 2;
        double vx = -uy * height / 2;
        double vy = ux * height / 2;
        Point[] c = {new Point(cx - hx - vx, cy - hy - vy), new Point(cx + hx - vx, cy + hy - vy),
                new Point(cx + hx + vx, cy + hy + vy), new Point(cx - hx + vx, cy - hy + vy)};
        Arrays.sort(c, Comparator.comparingDouble(Point::x));
        Point tl = c[0].y() <= c[1].y() ? c[0] : c[1];
        Point bl = c[0].y() <= c[1].y() ? c[1] : c[0];
        Point tr = c[2].y() <= c[3].y() ? c[2] : c[3];
        Point br = c[2].y() <= c[3].y() ? c[3] : c[2];
        return List.of(tl, tr, br, bl);
    }
}
