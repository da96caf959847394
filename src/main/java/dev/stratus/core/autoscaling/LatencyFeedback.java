package dev.stratus.core.autoscaling;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Corrects the planner's latency model from what the served system shows. The planner predicts each model's latency
 * at its SLO percentile from the profile; the gateway measures it. When, at the planned load, the measured p99 stays
 * away from the prediction, the model's profile does not describe this deployment (another machine, neighbours on
 * the same cores, HTTP and gateway costs the profile does not have), and every latency the planner derives from it is
 * off by about the same factor. This rule keeps a latency factor per model and pool (1 = the profile as measured),
 * which the planner multiplies into the profile's latencies, and says when it changed enough to re-plan.
 *
 * <p>Per observation period, with {@code observed} the measured p99 and {@code predicted} the plan's:
 * <ul>
 *   <li><b>Evidence.</b> The period counts only with at least {@code minRequests} answered requests (a p99 of fewer
 *       is noise), a prediction, and the observed demand within ±{@code rateBand} of the planned rate (at another
 *       load the prediction is for another situation).</li>
 *   <li><b>Smoothing.</b> The log of observed/predicted is averaged with an EWMA of half-life
 *       {@code halfLifeSeconds} (weights from the period's length, as the forecaster's).</li>
 *   <li><b>Target.</b> applied factor × exp(average), bounded to [{@code minFactor}, {@code maxFactor}] and to at
 *       most {@code maxStep} times (or 1/{@code maxStep} of) the applied factor per change.</li>
 *   <li><b>Hysteresis.</b> A change is proposed only when the target differs from the applied factor by more than
 *       {@code deadBand}, after at least {@code minPeriods} counted periods since the last change, and no sooner
 *       than {@code holdMillis} after it. A factor below the applied one (a faster system than planned) is proposed
 *       only while the model meets its target attainment: never loosen a model that is missing its SLO.</li>
 * </ul>
 * After a change the average restarts: the new plan predicts with the new factor. Pure and single-threaded (the
 * control loop's thread); times are parameters.
 */
public final class LatencyFeedback {

    /** The rule's constants (see the class description). */
    public record Settings(double minFactor, double maxFactor, double maxStep, double deadBand, double halfLifeSeconds,
            int minPeriods, long minRequests, double rateBand, long holdMillis) {
        public Settings {
            if (!(minFactor > 0) || !(maxFactor >= 1) || minFactor > 1 || !(maxStep > 1) || !(deadBand >= 0)
                    || !(halfLifeSeconds > 0) || minPeriods < 1 || minRequests < 1 || !(rateBand > 0)
                    || holdMillis < 0) {
                throw new IllegalArgumentException("latency feedback: need 0 < minFactor <= 1 <= maxFactor, maxStep > 1, "
                        + "deadBand >= 0, halfLife > 0, minPeriods >= 1, minRequests >= 1, rateBand > 0, hold >= 0");
            }
        }

        public static final Settings DEFAULT = new Settings(0.5, 4.0, 2.0, 0.2, 20, 5, 200, 0.3, 30_000);
    }

    /** What one period showed for one model on the pool it is served from. */
    public record Sample(String model, String pool, long atMillis, double intervalSeconds, double observedRate,
            double plannedRate, double observedP99Ms, double predictedP99Ms, long requests, double attainment,
            double targetAttainment) {
        public Sample {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(pool, "pool");
            if (!(intervalSeconds > 0)) {
                throw new IllegalArgumentException("intervalSeconds must be > 0");
            }
        }
    }

    /** A new factor for a model on a pool, and why (with the numbers). */
    public record Correction(String model, String pool, double from, double to, String reason) {
    }

    private record Key(String model, String pool) {
    }

    private static final class State {
        double factor = 1;
        double logRatio;
        int periods;
        long lastChange = Long.MIN_VALUE;
    }

    private final Settings settings;
    private final Map<Key, State> states = new HashMap<>();

    public LatencyFeedback(Settings settings) {
        this.settings = settings;
    }

    public LatencyFeedback() {
        this(Settings.DEFAULT);
    }

    /** The factor now applied for the model on the pool (1 until a correction). */
    public double factor(String model, String pool) {
        State s = states.get(new Key(model, pool));
        return s == null ? 1 : s.factor;
    }

    /** Every factor that differs from 1, keyed {@code model@pool}. */
    public Map<String, Double> factors() {
        Map<String, Double> out = new HashMap<>();
        states.forEach((k, s) -> {
            if (s.factor != 1) {
                out.put(k.model() + "@" + k.pool(), s.factor);
            }
        });
        return out;
    }

    /** Takes one period's sample; returns the correction to apply (and re-plan with), if the rule calls for one. */
    public Optional<Correction> observe(Sample s) {
        State st = states.computeIfAbsent(new Key(s.model(), s.pool()), k -> new State());
        if (s.requests() < settings.minRequests() || !(s.observedP99Ms() > 0) || !(s.predictedP99Ms() > 0)
                || !(s.plannedRate() > 0)
                || Math.abs(s.observedRate() / s.plannedRate() - 1) > settings.rateBand()) {
            return Optional.empty();
        }
        double ratio = Math.log(s.observedP99Ms() / s.predictedP99Ms());
        double alpha = 1 - Math.pow(2, -s.intervalSeconds() / settings.halfLifeSeconds());
        st.logRatio = st.periods == 0 ? ratio : st.logRatio + alpha * (ratio - st.logRatio);
        st.periods++;
        double target = st.factor * Math.exp(st.logRatio);
        target = Math.min(target, Math.min(settings.maxFactor(), st.factor * settings.maxStep()));
        target = Math.max(target, Math.max(settings.minFactor(), st.factor / settings.maxStep()));
        boolean outside = Math.abs(target / st.factor - 1) > settings.deadBand();
        boolean settled = st.periods >= settings.minPeriods();
        boolean held = st.lastChange == Long.MIN_VALUE || s.atMillis() - st.lastChange >= settings.holdMillis();
        boolean meeting = !Double.isNaN(s.attainment()) && s.attainment() >= s.targetAttainment();
        if (!outside || !settled || !held || (target < st.factor && !meeting)) {
            return Optional.empty();
        }
        String reason = String.format(Locale.ROOT, "observed p99 %.1f ms vs predicted %.1f ms at %.1f/s (planned %.1f/s), "
                        + "attainment %.2f%%, averaged over %d periods: latency factor for %s on %s %.2f -> %.2f",
                s.observedP99Ms(), s.predictedP99Ms(), s.observedRate(), s.plannedRate(), 100 * s.attainment(),
                st.periods, s.model(), s.pool(), st.factor, target);
        Correction c = new Correction(s.model(), s.pool(), st.factor, target, reason);
        st.factor = target;
        st.logRatio = 0;
        st.periods = 0;
        st.lastChange = s.atMillis();
        return Optional.of(c);
    }
}
