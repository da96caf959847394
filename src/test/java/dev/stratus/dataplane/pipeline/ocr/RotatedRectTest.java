package dev.stratus.dataplane.pipeline.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.dataplane.pipeline.ocr.TextBox.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RotatedRectTest {
    /** The corners of a w x h rectangle centred at (cx, cy), turned by {@code degrees}, plus interior points. */
    static List<Point> rectangle(double cx, double cy, double w, double h, double degrees) {
        double a = Math.toRadians(degrees);
        double ux = Math.cos(a);
        double uy = Math.sin(a);
        List<Point> pts = new ArrayList<>();
        for (double s = -0.5; s <= 0.5; s += 0.25) {
            for (double t = -0.5; t <= 0.5; t += 0.25) {
                pts.add(new Point(cx + s * w * ux - t * h * uy, cy + s * w * uy + t * h * ux));
            }
        }
        return pts;
    }

    /** centre, sides, angle: the enclosing rectangle has that area and centre, whatever the angle. */
    static Stream<Arguments> rectangles() {
        return Stream.of(
                Arguments.of(50, 20, 80, 10, 0),
                Arguments.of(50, 20, 80, 10, 90),
                Arguments.of(100, 100, 60, 20, 30),
                Arguments.of(100, 100, 60, 20, -12),
                Arguments.of(10, 10, 5, 5, 45));
    }

    @ParameterizedTest
    @MethodSource("rectangles")
    void theSmallestRectangleIsTheOneThePointsCameFrom(double cx, double cy, double w, double h, double deg) {
        RotatedRect r = RotatedRect.enclosing(rectangle(cx, cy, w, h, deg));
        assertEquals(w * h, r.area(), 1e-6 * w * h);
        assertEquals(cx, r.cx(), 1e-6);
        assertEquals(cy, r.cy(), 1e-6);
        assertEquals(Math.min(w, h), r.shortSide(), 1e-6);
    }

    @Test
    void cornersReadClockwiseFromTheTopLeft() {
        List<Point> c = RotatedRect.enclosing(rectangle(50, 20, 80, 10, 0)).corners();
        assertEquals(new Point(10, 15), round(c.get(0)));
        assertEquals(new Point(90, 15), round(c.get(1)));
        assertEquals(new Point(90, 25), round(c.get(2)));
        assertEquals(new Point(10, 25), round(c.get(3)));
    }

    @Test
    void growingAndContainment() {
        RotatedRect r = RotatedRect.enclosing(rectangle(0, 0, 10, 4, 0)).grown(1);
        assertEquals(12, r.width(), 1e-9);
        assertEquals(6, r.height(), 1e-9);
        assertTrue(r.contains(5.9, 2.9));
        assertFalse(r.contains(6.1, 0));
    }

    @Test
    void aSinglePointIsAnEmptyRectangle() {
        RotatedRect r = RotatedRect.enclosing(List.of(new Point(3, 4), new Point(3, 4)));
        assertEquals(0, r.area());
        assertEquals(3, r.cx());
    }

    private static Point round(Point p) {
        return new Point(Math.round(p.x() * 1e6) / 1e6, Math.round(p.y() * 1e6) / 1e6);
    }
}
