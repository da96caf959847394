package dev.stratus.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Draws a run as a standalone SVG: latency p50/p99 per model per second (log scale, with each model's SLO), and
 * offered / ok / goodput rates per second with shed and errors as stacked bars. Written by hand to keep the
 * generator free of plotting libraries; any browser shows it, and it embeds in an HTML report as is.
 */
public final class SvgPlot {
    private static final int WIDTH = 1040;
    private static final int HEIGHT = 680;
    private static final int LEFT = 80;
    private static final int RIGHT = 820;
    private static final int LAT_TOP = 60;
    private static final int LAT_BOTTOM = 300;
    private static final int TPUT_TOP = 370;
    private static final int TPUT_BOTTOM = 610;
    private static final String[] PALETTE = {"#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
        "#7f7f7f", "#ff7f0e"};
    private static final String OFFERED = "#555555";
    private static final String OK = "#1f3fb4";
    private static final String GOODPUT = "#2ca02c";
    private static final String SHED = "#ff9f1c";
    private static final String ERRORS = "#d62728";

    private final StringBuilder svg = new StringBuilder();
    private final LoadResult result;
    private final int seconds;
    private final List<String[]> legend = new ArrayList<>(); // {kind, color, dash, label}

    private SvgPlot(LoadResult result) {
        this.result = result;
        this.seconds = Math.max(1, result.totalSeries().seconds().size());
    }

    public static void write(LoadResult result, Path file) throws IOException {
        Files.writeString(file, render(result));
    }

    public static String render(LoadResult result) {
        return new SvgPlot(result).draw();
    }

    private String draw() {
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n",
                WIDTH, HEIGHT));
        text(LEFT, 24, "start", 15, "bold", "Load: scenario " + result.scenario() + " against " + result.target()
                + " (seed " + result.seed() + ")");
        text(LEFT, 42, "start", 12, "normal", String.format(Locale.ROOT,
                "%d sent, %d ok, %d shed, %d deadline (504), %d errors; SLO attainment %.1f%%, goodput %.1f/s",
                result.total().sent(), result.total().ok(), result.total().shed(), result.total().deadline(),
                result.total().errors(), 100 * result.total().attainment(), result.total().goodputPerSecond()));
        latencyPanel();
        throughputPanel();
        xAxis(TPUT_BOTTOM, true);
        xAxis(LAT_BOTTOM, false);
        legend();
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void latencyPanel() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (ModelSeries s : result.series()) {
            for (SecondStats p : s.seconds()) {
                for (Double v : new Double[] {p.p50Ms(), p.p99Ms()}) {
                    if (v != null && v > 0) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        for (ModelStats m : result.models()) {
            lo = Math.min(lo, m.sloMs());
            hi = Math.max(hi, m.sloMs());
        }
        int loExp = (int) Math.floor(Math.log10(Double.isInfinite(lo) ? 1 : lo));
        int hiExp = Math.max(loExp + 1, (int) Math.ceil(Math.log10(hi <= 0 ? 1000 : hi)));
        Function<Double, Double> y = v -> LAT_BOTTOM - (Math.log10(v) - loExp) / (hiExp - loExp) * (LAT_BOTTOM - LAT_TOP);
        frame(LAT_TOP, LAT_BOTTOM, "latency (ms, log scale) by completion second");
        for (int e = loExp; e <= hiExp; e++) {
            double v = Math.pow(10, e);
            gridLine(y.apply(v), e == loExp ? "#000000" : "#dddddd");
            text(LEFT - 6, y.apply(v) + 4, "end", 11, "normal", decimal(v));
            if (e < hiExp) {
                for (int m : new int[] {2, 5}) {
                    gridLine(y.apply(m * v), "#f0f0f0");
                }
            }
        }
        for (int i = 0; i < result.series().size(); i++) {
            ModelSeries s = result.series().get(i);
            ModelStats stats = result.models().get(i);
            String color = PALETTE[i % PALETTE.length];
            double slo = y.apply(stats.sloMs());
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-width=\"1\" stroke-dasharray=\"2,3\"/>\n", LEFT, slo, RIGHT, slo, color));
            series(s.seconds(), SecondStats::p99Ms, y, color, 2, null);
            series(s.seconds(), SecondStats::p50Ms, y, color, 1.2, "6,3");
            legend.add(new String[] {"line", color, null, s.model() + " p99"});
            legend.add(new String[] {"line", color, "6,3", s.model() + " p50"});
            legend.add(new String[] {"line", color, "2,3", s.model() + " SLO " + decimal(stats.sloMs()) + " ms"});
        }
    }

    private void throughputPanel() {
        List<SecondStats> total = result.totalSeries().seconds();
        double max = 1;
        for (SecondStats p : total) {
            max = Math.max(max, Math.max(p.offered(), Math.max(p.ok(), p.shed() + p.deadline() + p.errors())));
        }
        double step = niceStep(max * 1.05, 5);
        double top = Math.ceil(max * 1.05 / step) * step;
        Function<Double, Double> y = v -> TPUT_BOTTOM - v / top * (TPUT_BOTTOM - TPUT_TOP);
        frame(TPUT_TOP, TPUT_BOTTOM, "requests per second");
        for (double v = 0; v <= top + step / 2; v += step) {
            gridLine(y.apply(v), v == 0 ? "#000000" : "#dddddd");
            text(LEFT - 6, y.apply(v) + 4, "end", 11, "normal", decimal(v));
        }
        double barWidth = Math.max(1, (RIGHT - LEFT) / (double) seconds * 0.8);
        for (SecondStats p : total) {
            double x = x(p.second() + 0.5) - barWidth / 2;
            double failed = p.deadline() + p.errors();
            bar(x, barWidth, y.apply(0.0), y.apply((double) p.shed()), SHED);
            bar(x, barWidth, y.apply((double) p.shed()), y.apply(p.shed() + failed), ERRORS);
        }
        series(total, p -> (double) p.offered(), y, OFFERED, 1.5, "5,3");
        series(total, p -> (double) p.ok(), y, OK, 2, null);
        series(total, p -> (double) p.okWithinSlo(), y, GOODPUT, 1.5, null);
        legend.add(new String[] {"line", OFFERED, "5,3", "offered (by send second)"});
        legend.add(new String[] {"line", OK, null, "ok (2xx)"});
        legend.add(new String[] {"line", GOODPUT, null, "goodput (ok within SLO)"});
        legend.add(new String[] {"bar", SHED, null, "shed (429/503)"});
        legend.add(new String[] {"bar", ERRORS, null, "deadline (504) + errors"});
    }

    private void frame(int top, int bottom, String title) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999999\"/>\n", LEFT, top, RIGHT - LEFT, bottom - top));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">"
                + "%s</text>\n", 22, (top + bottom) / 2, 22, (top + bottom) / 2, escape(title)));
        if (result.durationSeconds() < seconds) {
            // Past this line the schedule has stopped; only responses still in flight (the drain) remain.
            double end = x(result.durationSeconds());
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999999\" "
                    + "stroke-dasharray=\"4,4\"/>\n", end, top, end, bottom));
        }
    }

    private void xAxis(int bottom, boolean label) {
        double step = niceStep(seconds, 10);
        for (double t = 0; t <= seconds + 1e-9; t += step) {
            double x = x(t);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000000\"/>\n",
                    x, bottom, x, bottom + 5));
            text(x, bottom + 18, "middle", 11, "normal", decimal(t));
        }
        if (label) {
            text((LEFT + RIGHT) / 2.0, bottom + 40, "middle", 12, "normal", "time since start (s)");
        }
    }

    private void legend() {
        double y = LAT_TOP + 4;
        for (String[] e : legend) {
            if (e[0].equals("bar")) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"22\" height=\"10\" fill=\"%s\"/>\n",
                        RIGHT + 16, y - 5, e[1]));
            } else {
                svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
                        + "stroke-width=\"2\"%s/>\n", RIGHT + 16, y, RIGHT + 38, y, e[1],
                        e[2] == null ? "" : " stroke-dasharray=\"" + e[2] + "\""));
            }
            text(RIGHT + 44, y + 4, "start", 11, "normal", e[3]);
            y += 18;
        }
    }

    /** A polyline over the seconds that have a value; gaps (null) break the line. */
    private void series(List<SecondStats> points, Function<SecondStats, Double> value, Function<Double, Double> y,
                        String color, double width, String dash) {
        StringBuilder d = new StringBuilder();
        boolean penDown = false;
        for (SecondStats p : points) {
            Double v = value.apply(p);
            if (v == null) {
                penDown = false;
                continue;
            }
            d.append(penDown ? " L" : " M").append(String.format(Locale.ROOT, "%.1f,%.1f", x(p.second() + 0.5),
                    y.apply(v)));
            penDown = true;
        }
        if (d.isEmpty()) {
            return;
        }
        svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n",
                d.toString().strip(), color, width, dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
    }

    private void bar(double x, double width, double yBottom, double yTop, String color) {
        if (yBottom - yTop < 0.05) {
            return;
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                + "fill-opacity=\"0.8\"/>\n", x, yTop, width, yBottom - yTop, color));
    }

    private void gridLine(double y, String color) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                LEFT, y, RIGHT, y, color));
    }

    private void text(double x, double y, String anchor, int size, String weight, String content) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" "
                + "font-weight=\"%s\">%s</text>\n", x, y, anchor, size, weight, escape(content)));
    }

    private double x(double second) {
        return LEFT + second / seconds * (RIGHT - LEFT);
    }

    /** 1, 2 or 5 times a power of ten, giving at most about {@code ticks} intervals over {@code range}. */
    static double niceStep(double range, int ticks) {
        double raw = range / ticks;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String decimal(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+$", "");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
