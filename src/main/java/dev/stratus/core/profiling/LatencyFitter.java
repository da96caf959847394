package dev.stratus.core.profiling;

import dev.stratus.core.model.profile.LatencyFit;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits l(b) to measured mean latencies by least squares: a line α·b + β always, and a quadratic when the line
 * is poor (largest relative error above {@link #LINEAR_GOOD_ENOUGH}) and the quadratic is clearly better and
 * keeps growing with b (a curve that bends down would promise free capacity beyond the measured sizes).
 */
public final class LatencyFitter {
    /** A line within 5 % of every measurement is kept even if a quadratic would be closer. */
    public static final double LINEAR_GOOD_ENOUGH = 0.05;

    private LatencyFitter() {
    }

    /** One measured point: batch size and mean latency in milliseconds. */
    public record Point(int batch, double meanMs) {
    }

    public static LatencyFit fit(List<Point> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no points to fit");
        }
        LatencyFit linear = linear(points);
        if (linear.maxRelativeError() <= LINEAR_GOOD_ENOUGH || distinctBatches(points) < 3) {
            return linear;
        }
        LatencyFit quadratic = quadratic(points);
        int largest = points.stream().mapToInt(Point::batch).max().orElse(1);
        boolean growing = slope(quadratic, 1) >= 0 && slope(quadratic, 2 * largest) >= 0;
        return growing && quadratic.maxRelativeError() < 0.8 * linear.maxRelativeError() ? quadratic : linear;
    }

    static LatencyFit linear(List<Point> points) {
        if (distinctBatches(points) < 2) {
            double mean = points.stream().mapToDouble(Point::meanMs).average().orElseThrow();
            return withErrors(LatencyFit.LINEAR, List.of(mean, 0.0), points);
        }
        double[] c = leastSquares(points, 2);
        return withErrors(LatencyFit.LINEAR, List.of(c[0], c[1]), points);
    }

    static LatencyFit quadratic(List<Point> points) {
        double[] c = leastSquares(points, 3);
        return withErrors(LatencyFit.QUADRATIC, List.of(c[0], c[1], c[2]), points);
    }

    private static double slope(LatencyFit fit, double b) {
        List<Double> c = fit.coefficients();
        return c.get(1) + (c.size() > 2 ? 2 * c.get(2) * b : 0);
    }

    private static long distinctBatches(List<Point> points) {
        return points.stream().mapToInt(Point::batch).distinct().count();
    }

    private static LatencyFit withErrors(String kind, List<Double> coefficients, List<Point> points) {
        LatencyFit unscored = new LatencyFit(kind, coefficients, 0, 0);
        double max = 0;
        double sum = 0;
        for (Point p : points) {
            double error = Math.abs(unscored.latencyMs(p.batch()) - p.meanMs()) / p.meanMs();
            max = Math.max(max, error);
            sum += error;
        }
        return new LatencyFit(kind, coefficients, max, sum / points.size());
    }

    /**
     * Polynomial least squares with {@code terms} coefficients (constant first), weighted by 1/mean² so that the
     * error is relative: small batches matter as much as large ones. Solved by Gaussian elimination on the
     * normal equations, which is exact enough for 2–3 terms and batch sizes up to hundreds.
     */
    private static double[] leastSquares(List<Point> points, int terms) {
        double[][] a = new double[terms][terms + 1];
        for (Point p : points) {
            double w = 1.0 / (p.meanMs() * p.meanMs());
            double[] x = new double[terms];
            for (int i = 0; i < terms; i++) {
                x[i] = Math.pow(p.batch(), i);
            }
            for (int i = 0; i < terms; i++) {
                for (int j = 0; j < terms; j++) {
                    a[i][j] += w * x[i] * x[j];
                }
                a[i][terms] += w * x[i] * p.meanMs();
            }
        }
        return solve(a);
    }

    private static double[] solve(double[][] a) {
        int n = a.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            if (Math.abs(a[col][col]) < 1e-300) {
                throw new IllegalArgumentException("latency points do not determine a fit");
            }
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int k = col; k <= n; k++) {
                        a[r][k] -= f * a[col][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a[i][n] / a[i][i];
        }
        return x;
    }

    /** Points of a profile's measurements, for refitting. */
    public static List<Point> points(List<dev.stratus.core.model.profile.BatchMeasurement> measured) {
        List<Point> out = new ArrayList<>();
        measured.forEach(m -> out.add(new Point(m.batch(), m.meanMs())));
        return out;
    }
}
