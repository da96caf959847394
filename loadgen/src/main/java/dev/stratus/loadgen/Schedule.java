package dev.stratus.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The open-loop send schedule of a scenario, generated lazily (memory stays flat for long runs) and fully
 * determined by the scenario's seed. Streams: one for the top-level arrival (each arrival assigned to a model by
 * weight) and one per model with its own arrival; they are merged in time order.
 */
public final class Schedule {
    private final PriorityQueue<Stream> queue = new PriorityQueue<>((a, b) -> Double.compare(a.next, b.next));
    private final double durationSeconds;

    public Schedule(Scenario scenario) {
        this.durationSeconds = scenario.durationSeconds();
        SplittableRandom root = new SplittableRandom(scenario.seed());
        List<ModelSpec> models = scenario.models();
        if (scenario.arrival() != null) {
            List<Integer> shared = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                if (models.get(i).arrival() == null) {
                    shared.add(i);
                }
            }
            add(new Stream(process(scenario.arrival(), "arrival"), root.split(), new WeightedChoice(models, shared,
                    root.split())));
        }
        for (int i = 0; i < models.size(); i++) {
            // Split for every model, used or not, so that adding a shared model does not reshuffle the others.
            SplittableRandom rng = root.split();
            ArrivalSpec own = models.get(i).arrival();
            if (own != null) {
                int model = i;
                add(new Stream(process(own, "models[" + i + "].arrival"), rng, r -> model));
            }
        }
    }

    /** The next arrival in time order, or null once the run's duration is reached. */
    public Arrival next() {
        Stream s = queue.poll();
        if (s == null || s.next >= durationSeconds) {
            return null;
        }
        Arrival a = new Arrival(Math.round(s.next * 1e9), s.choice.pick(s.rng));
        s.advance();
        queue.add(s);
        return a;
    }

    /** The whole remaining schedule (tests, dry runs). */
    public List<Arrival> drain() {
        List<Arrival> all = new ArrayList<>();
        for (Arrival a = next(); a != null; a = next()) {
            all.add(a);
        }
        return all;
    }

    private ArrivalProcess process(ArrivalSpec spec, String path) {
        try {
            return ArrivalProcess.of(spec, durationSeconds);
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(path + ".file", e.getMessage());
        }
    }

    private void add(Stream s) {
        s.advance();
        queue.add(s);
    }

    private interface ModelChoice {
        int pick(SplittableRandom rng);
    }

    /** Picks a shared-arrival model with probability proportional to its weight, from its own generator. */
    private record WeightedChoice(int[] models, double[] cumulative, SplittableRandom rng) implements ModelChoice {
        WeightedChoice(List<ModelSpec> all, List<Integer> shared, SplittableRandom rng) {
            this(shared.stream().mapToInt(Integer::intValue).toArray(), cumulative(all, shared), rng);
        }

        private static double[] cumulative(List<ModelSpec> all, List<Integer> shared) {
            double[] c = new double[shared.size()];
            double sum = 0;
            for (int i = 0; i < c.length; i++) {
                sum += all.get(shared.get(i)).weight();
                c[i] = sum;
            }
            return c;
        }

        @Override
        public int pick(SplittableRandom ignored) {
            double u = rng.nextDouble() * cumulative[cumulative.length - 1];
            for (int i = 0; i < cumulative.length; i++) {
                if (u < cumulative[i]) {
                    return models[i];
                }
            }
            return models[models.length - 1];
        }
    }

    private static final class Stream {
        final ArrivalProcess process;
        final SplittableRandom rng;
        final ModelChoice choice;
        double next;

        Stream(ArrivalProcess process, SplittableRandom rng, ModelChoice choice) {
            this.process = process;
            this.rng = rng;
            this.choice = choice;
        }

        void advance() {
            next = process.next(next, rng);
        }
    }
}
