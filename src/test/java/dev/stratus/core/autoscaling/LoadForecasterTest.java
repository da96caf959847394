package dev.stratus.core.autoscaling;

import static dev.stratus.core.autoscaling.Loads.MODEL;
import static dev.stratus.core.autoscaling.Loads.exact;
import static dev.stratus.core.autoscaling.Loads.obs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadForecasterTest {

    @ParameterizedTest(name = "half-life {0} s, period {1} s -> alpha {2}")
    @CsvSource({
            "30, 30, 0.5",
            "30, 60, 0.75",
            "30, 5, 0.1091",
            "3, 5, 0.6850",
            "3, 1, 0.2063"
    })
    void halfLifeBecomesPerPeriodWeight(double halfLife, double interval, double alpha) {
        assertEquals(alpha, ForecastSettings.alpha(halfLife, interval), 1e-4);
    }

    @ParameterizedTest(name = "Poisson {0}/s every {1} s, seed {2}")
    @CsvSource({
            "2, 5, 1",
            "20, 5, 2",
            "200, 2, 3",
            "50, 1, 4"
    })
    void ewmaConvergesToSteadyPoissonRateWithoutFalseBursts(double rate, double interval, long seed) {
        var rng = new Random(seed);
        var f = new LoadForecaster(MODEL);
        long step = Math.round(interval * 1000);
        int bursts = 0;
        double sum = 0;
        int counted = 0;
        // Start far below the true rate so convergence is exercised, then 10 minutes of Poisson arrivals.
        f.observe(obs(0, interval, 0));
        int periods = (int) (600 / interval);
        for (int i = 1; i <= periods; i++) {
            Forecast fc = f.observe(obs(i * step, interval, Loads.poisson(rng, rate, interval)));
            if (i * interval > 300) { // after 10 half-lives; the rise from 0 before that is a genuine burst
                sum += fc.longRate();
                counted++;
                bursts += fc.burst() ? 1 : 0;
            }
        }
        assertEquals(rate, sum / counted, rate * 0.05, "mean of the long EWMA in the second half");
        assertEquals(0, bursts, "bursts flagged on steady traffic");
    }

    @ParameterizedTest(name = "{0}/s -> 3x, period {1} s")
    @CsvSource({
            "10, 5",
            "10, 1",
            "100, 2",
            "50, 10",
            "1, 5"
    })
    void stepToThreeTimesIsABurstWithinTwoPeriodsAndPlannedRateJumps(double rate, double interval) {
        var f = new LoadForecaster(MODEL);
        Forecast before = Loads.steady(f, 0, rate, interval, 60);
        assertFalse(before.burst());
        assertEquals(rate * 1.1, before.plannedRate(), 1e-9);

        long t0 = before.atMillis();
        long step = Math.round(interval * 1000);
        Forecast p1 = f.observe(obs(t0 + step, interval, exact(3 * rate, interval)));
        Forecast p2 = f.observe(obs(t0 + 2 * step, interval, exact(3 * rate, interval)));
        assertTrue(p1.burst() || p2.burst(), "burst within two periods: " + p1 + " / " + p2);
        assertEquals(Forecast.Basis.BURST, p2.basis());
        // The long EWMA alone would still be near the old rate; the plan follows the short rate instead.
        assertTrue(p2.longRate() < 2 * rate, "long EWMA still low: " + p2.longRate());
        assertTrue(p2.plannedRate() >= 1.5 * before.plannedRate(), "planned jumped: " + p2.plannedRate());
    }

    @ParameterizedTest(name = "steady {0}/s every {1} s, then {2} arrivals once -> burst {3}")
    @CsvSource({
            "2, 5, 18, false",     // +2.5 sigma of one period: noise
            "0.2, 5, 3, false",    // 3 requests where 1 was expected: ratio 2.4, still noise
            "1, 1, 4, false",
            "0, 5, 2, false",      // idle model, two requests: at least one arrival's worth of noise
            "2, 5, 40, true",      // 4x at low rate is real
            "0, 5, 10, true"       // idle model, 2/s all of a sudden
    })
    void noiseGuardIgnoresOneLuckyPeriodAtLowRate(double rate, double interval, long count, boolean burst) {
        var f = new LoadForecaster(MODEL);
        Forecast before = Loads.steady(f, 0, rate, interval, 60);
        Forecast after = f.observe(obs(before.atMillis() + Math.round(interval * 1000), interval, count));
        assertEquals(burst, after.burst(), after.toString());
    }

    @ParameterizedTest(name = "window {0} ms, period {1} s")
    @CsvSource({
            "60000, 5",
            "30000, 5",
            "60000, 2",
            "0, 5"
    })
    void afterAStepDownPlannedRateHoldsThePeakForTheWindowThenDecays(long windowMillis, double interval) {
        var settings = new ForecastSettings(30, 3, 1.5, 3, 1.1, windowMillis);
        var f = new LoadForecaster(MODEL, settings);
        Forecast peak = Loads.steady(f, 0, 100, interval, 60);
        assertEquals(110, peak.plannedRate(), 1e-9);

        long step = Math.round(interval * 1000);
        long t = peak.atMillis();
        double previous = peak.plannedRate();
        int released = 0;
        for (int k = 1; k * step <= windowMillis + 60_000; k++) {
            Forecast fc = f.observe(obs(t + k * step, interval, exact(20, interval)));
            assertFalse(fc.burst());
            if (k * step < windowMillis) {
                assertEquals(peak.plannedRate(), fc.plannedRate(), 1e-9, "held at " + k * step + " ms");
                assertEquals(Forecast.Basis.PEAK_HOLD, fc.basis());
            } else {
                assertTrue(fc.plannedRate() < previous, "decays at " + k * step + " ms: " + fc.plannedRate());
                assertTrue(fc.plannedRate() >= fc.longRate() * 1.1 - 1e-9, "never below the EWMA recommendation");
                released++;
            }
            previous = fc.plannedRate();
        }
        assertTrue(released >= 10);
        assertTrue(previous < 100, "well on the way down after the window: " + previous);
    }

    @Test
    void firstObservationInitialisesBothAveragesAndIsNoBurst() {
        var f = new LoadForecaster(MODEL);
        Forecast fc = f.observe(obs(5_000, 5, 250));
        assertEquals(50, fc.longRate(), 1e-12);
        assertEquals(50, fc.shortRate(), 1e-12);
        assertEquals(0, fc.trendPerSecond(), 1e-12);
        assertFalse(fc.burst());
        assertEquals(55, fc.plannedRate(), 1e-9);
        assertEquals(Forecast.Basis.EWMA, fc.basis());
    }

    @ParameterizedTest(name = "{0} admitted + {1} shed")
    @CsvSource({"100, 0, 20", "50, 50, 20", "0, 100, 20"})
    void shedRequestsCountAsDemand(long arrivals, long shed, double rate) {
        var f = new LoadForecaster(MODEL);
        Forecast fc = f.observe(new LoadObservation(MODEL, 5_000, 5, arrivals, shed, 250, 40));
        assertEquals(rate, fc.longRate(), 1e-12);
    }

    @Test
    void linearRampShowsAsTrend() {
        var f = new LoadForecaster(MODEL);
        Forecast fc = null;
        for (int i = 0; i <= 60; i++) { // 10 + 2·t req/s, observed every 5 s
            double rate = 10 + 2 * (i * 5.0 - 2.5);
            fc = f.observe(obs(i * 5_000L, 5, exact(Math.max(0, rate), 5)));
        }
        assertEquals(2, fc.trendPerSecond(), 0.3);
    }

    @Test
    void refusesOtherModelsAndObservationsFromThePast() {
        var f = new LoadForecaster(MODEL);
        f.observe(obs(10_000, 5, 10));
        assertThrows(IllegalArgumentException.class,
                () -> f.observe(new LoadObservation("bert", 15_000, 5, 10, 0, 1, 0)));
        assertThrows(IllegalArgumentException.class, () -> f.observe(obs(9_999, 5, 10)));
        f.observe(obs(10_000, 5, 10)); // same instant is allowed (a re-run tick)
    }

    @ParameterizedTest(name = "long {0} s, short {1} s, factor {2}, sigmas {3}, headroom {4}, window {5}")
    @CsvSource({
            "0, 3, 1.5, 3, 1.1, 60000",
            "30, 0, 1.5, 3, 1.1, 60000",
            "3, 30, 1.5, 3, 1.1, 60000",
            "30, 3, 0.9, 3, 1.1, 60000",
            "30, 3, 1.5, -1, 1.1, 60000",
            "30, 3, 1.5, 3, 0.9, 60000",
            "30, 3, 1.5, 3, 1.1, -1"
    })
    void refusesMeaninglessSettings(double lng, double shrt, double factor, double sigmas, double headroom,
                                    long window) {
        assertThrows(IllegalArgumentException.class,
                () -> new ForecastSettings(lng, shrt, factor, sigmas, headroom, window));
    }
}
