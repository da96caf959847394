package dev.stratus.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each arrival process produces its intended mean rate and burstiness (CV of inter-arrival times). */
class ArrivalProcessTest {

    static Stream<Arguments> processes() throws IOException {
        TraceFile trace = TraceFile.load(Path.of("scenarios/azure-functions-sample.synthetic.csv"), null);
        return Stream.of(
                // spec, seconds, expected rate, rate tolerance (relative), CV min, CV max
                Arguments.of("poisson", new ArrivalSpec.Poisson(100), 2000, 100, 0.02, 0.97, 1.03),
                Arguments.of("gamma cv 0.5", new ArrivalSpec.Gamma(100, 0.5), 2000, 100, 0.02, 0.48, 0.52),
                Arguments.of("gamma cv 3", new ArrivalSpec.Gamma(50, 3), 4000, 50, 0.05, 2.8, 3.2),
                // stationary mean (10*10 + 100*2) / 12 = 25/s; bursts make it overdispersed (CV about 1.8)
                Arguments.of("mmpp", new ArrivalSpec.Mmpp(List.of(10.0, 100.0), List.of(10.0, 2.0)), 20000, 25, 0.05,
                        1.5, 2.2),
                // whole periods average to the base rate; CV^2 = 2/sqrt(1 - a^2) - 1 for a sinusoid: 1.53
                Arguments.of("diurnal", new ArrivalSpec.Diurnal(50, 0.8, 100), 10000, 50, 0.03, 1.45, 1.62),
                // time-weighted mean (100*20 + 100*60 + 100*20) / 300; CV about 1.26
                Arguments.of("step", new ArrivalSpec.Step(List.of(new ArrivalSpec.Phase(0, 20),
                        new ArrivalSpec.Phase(100, 60), new ArrivalSpec.Phase(200, 20))), 300, 100.0 / 3, 0.04,
                        1.15, 1.4),
                Arguments.of("trace", new ArrivalSpec.Trace(trace, 30, 2, 0), 2880, 30, 0.03, 0.95, 2.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("processes")
    void meanRateAndVariability(String name, ArrivalSpec spec, double seconds, double rate, double tolerance,
                                double cvMin, double cvMax) {
        List<Double> times = arrivals(spec, seconds, 12345);
        double measuredRate = times.size() / seconds;
        assertEquals(rate, measuredRate, rate * tolerance, name + " rate");
        double cv = cv(times);
        assertTrue(cv >= cvMin && cv <= cvMax, name + " CV " + cv + " not in [" + cvMin + ", " + cvMax + "]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("processes")
    void sameSeedSameArrivals(String name, ArrivalSpec spec, double seconds) {
        double shortRun = Math.min(seconds, 200);
        assertEquals(arrivals(spec, shortRun, 99), arrivals(spec, shortRun, 99), name);
        assertTrue(!arrivals(spec, shortRun, 99).equals(arrivals(spec, shortRun, 100)), name + " ignores the seed");
    }

    @Test
    void stepHoldsEachPhaseRateAndZeroMeansSilence() {
        ArrivalSpec step = new ArrivalSpec.Step(List.of(new ArrivalSpec.Phase(0, 40), new ArrivalSpec.Phase(45, 120),
                new ArrivalSpec.Phase(75, 0), new ArrivalSpec.Phase(90, 40)));
        List<Double> times = arrivals(step, 120, 1);
        assertEquals(40 * 45, count(times, 0, 45), 40 * 45 * 0.1);
        assertEquals(120 * 30, count(times, 45, 75), 120 * 30 * 0.1);
        assertEquals(0, count(times, 75, 90));
        assertEquals(40 * 30, count(times, 90, 120), 40 * 30 * 0.12);
    }

    @Test
    void traceFollowsThePerMinuteCountsScaledToTheMeanRate() {
        // Minutes 1..4 carry 10, 0, 30, 0 invocations; at 10 s per minute and mean 2/s the rates are 2, 0, 6, 0.
        TraceFile trace = new TraceFile("t", null, new long[] {10, 0, 30, 0});
        List<Double> times = arrivals(new ArrivalSpec.Trace(trace, 2, 10, 0), 40, 3);
        assertEquals(0, count(times, 10, 20));
        assertEquals(0, count(times, 30, 40));
        assertTrue(count(times, 20, 30) > 2 * count(times, 0, 10), "third minute is busier than the first");
        // Starting at minute 2 wraps around to minute 0 after the end of the trace.
        List<Double> wrapped = arrivals(new ArrivalSpec.Trace(trace, 2, 10, 2), 40, 3);
        assertEquals(0, count(wrapped, 10, 20));
        assertEquals(0, count(wrapped, 30, 40));
    }

    private static List<Double> arrivals(ArrivalSpec spec, double seconds, long seed) {
        ArrivalProcess process = ArrivalProcess.of(spec, seconds);
        SplittableRandom rng = new SplittableRandom(seed);
        List<Double> out = new ArrayList<>();
        for (double t = process.next(0, rng); t < seconds; t = process.next(t, rng)) {
            out.add(t);
        }
        return out;
    }

    private static long count(List<Double> times, double from, double to) {
        return times.stream().filter(t -> t >= from && t < to).count();
    }

    private static double cv(List<Double> times) {
        int n = times.size() - 1;
        double sum = 0;
        double sumSq = 0;
        for (int i = 1; i < times.size(); i++) {
            double gap = times.get(i) - times.get(i - 1);
            sum += gap;
            sumSq += gap * gap;
        }
        double mean = sum / n;
        return Math.sqrt(sumSq / n - mean * mean) / mean;
    }
}
