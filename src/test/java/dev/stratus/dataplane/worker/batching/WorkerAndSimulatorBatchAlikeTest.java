package dev.stratus.dataplane.worker.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.batching.BatchItem;
import dev.stratus.core.batching.OverloadRule;
import dev.stratus.core.model.BatchingPolicy;
import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.simulation.BatchRule;
import dev.stratus.core.simulation.GroupMember;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ScalingPolicy;
import dev.stratus.core.simulation.ServiceTime;
import dev.stratus.core.simulation.SimConfig;
import dev.stratus.core.simulation.SimDispatch;
import dev.stratus.core.simulation.SimModel;
import dev.stratus.core.simulation.SimPool;
import dev.stratus.core.simulation.SimTrace;
import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.Simulator;
import dev.stratus.core.simulation.arrival.ArrivalProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One batcher: on the same arrival sequence, the worker's {@link DynamicBatcher} (its queue, admission and the
 * decisions its batching thread takes, driven here step by step with a manual clock) and the simulator's replica
 * start the same batches of the same requests and answer the same requests with the deadline error. Execution times
 * are deterministic, l(b) = 2 + b ms, which the worker's latency estimate holds exactly after one observation of
 * each size. The simulator may expire a request later than the worker (it decides only when its replica is idle,
 * the worker also while a batch runs), so drops are compared as sets.
 */
class WorkerAndSimulatorBatchAlikeTest {
    static final int MAX_BATCH = 8;

    static double latencyMs(int batch) {
        return 2 + batch;
    }

    /** A batch or a drop: when, the index of its oldest request, how many. */
    record Event(long atMicros, int first, int count) {
    }

    record Outcome(List<Event> batches, TreeSet<Integer> dropped) {
    }

    /** Exactly these arrival times. */
    record ListArrivals(double[] times) implements ArrivalProcess {
        @Override
        public ArrivalStream start(SplittableRandom rng) {
            int[] next = {0};
            return () -> next[0] < times.length ? times[next[0]++] : Double.POSITIVE_INFINITY;
        }

        @Override
        public double meanRate(double horizonSeconds) {
            return times.length / horizonSeconds;
        }

        @Override
        public double peakRate() {
            return meanRate(times[times.length - 1]);
        }

        @Override
        public String describe() {
            return "list(" + times.length + ")";
        }
    }

    static Stream<Arguments> loads() {
        // offered load as a multiple of one replica's full-batch capacity (8 / 10 ms = 800/s), SLO, max queue delay
        return Stream.of(
                Arguments.of(0.3, 40.0, 5.0),   // light: batches close on the queue delay
                Arguments.of(0.8, 25.0, 20.0),  // near capacity: deadlines close batches early
                Arguments.of(1.3, 30.0, 3.0),   // overload: heads dropped early
                Arguments.of(2.0, 15.0, 2.0),   // 2x overload, tight SLO: expiry and early drop
                Arguments.of(2.0, 60.0, 1.0));
    }

    @ParameterizedTest(name = "load {0}x, SLO {1} ms, delay {2} ms")
    @MethodSource("loads")
    void workerAndSimulatorTakeTheSameDecisions(double load, double sloMs, double delayMs) {
        double[] arrivals = poisson(800 * load, 2.0, 42);

        Outcome sim = simulator(arrivals, sloMs, delayMs);
        Outcome worker = worker(arrivals, sloMs, delayMs);

        assertTrue(sim.batches().size() > 50, "enough batches to compare: " + sim.batches().size());
        assertEquals(sim.batches(), worker.batches());
        assertEquals(sim.dropped(), worker.dropped());
        int served = sim.batches().stream().mapToInt(Event::count).sum();
        assertEquals(arrivals.length, served + sim.dropped().size(), "every request batched or dropped once");
        if (load >= 1.3) {
            assertTrue(!sim.dropped().isEmpty(), "overload drops");
        }
    }

    static double[] poisson(double rate, double seconds, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Double> times = new ArrayList<>();
        double t = 0;
        while (true) {
            t += -Math.log(1 - rng.nextDouble()) / rate;
            if (t >= seconds) {
                break;
            }
            times.add(t);
        }
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static Outcome simulator(double[] arrivals, double sloMs, double delayMs) {
        double[] mean = new double[MAX_BATCH + 1];
        double[] std = new double[MAX_BATCH + 1];
        for (int b = 1; b <= MAX_BATCH; b++) {
            mean[b] = latencyMs(b);
        }
        SimPool pool = new SimPool("cpu", 1, 0);
        SimModel model = new SimModel("m", sloMs, 0.99, ServiceTime.table(mean, std), new ColdStart(0, 0, 0, 0, false),
                null, new ListArrivals(arrivals));
        ReplicaGroup group = new ReplicaGroup("cpu", 1, 0, List.of(new GroupMember("m", MAX_BATCH, delayMs, 1)), 1,
                SimDispatch.BATCH_AWARE, 1_000_000, BatchRule.DEADLINE_AWARE);
        Map<Double, Integer> index = new HashMap<>();
        for (int i = 0; i < arrivals.length; i++) {
            index.put(arrivals[i], i);
        }
        List<Event> batches = new ArrayList<>();
        TreeSet<Integer> dropped = new TreeSet<>();
        SimTrace trace = new SimTrace() {
            @Override
            public void batch(double atSeconds, int replica, String m, double firstArrival, int size) {
                batches.add(new Event(Math.round(atSeconds * 1e6), index.get(firstArrival), size));
            }

            @Override
            public void dropped(double atSeconds, int replica, String m, double firstArrival, int count) {
                int first = index.get(firstArrival);
                for (int i = 0; i < count; i++) {
                    dropped.add(first + i);
                }
            }
        };
        Simulator.run("sim", new SimConfig(new SimWorkload(List.of(model), List.of(pool), 3.0, 10), List.of(group),
                false), ScalingPolicy.none(), 1, Simulator.ProgressListener.NONE, trace);
        return new Outcome(batches, dropped);
    }

    record Req(int id, long enqueuedAtNanos, long deadlineNanos) implements BatchItem {
        @Override
        public int batchCount() {
            return 1;
        }

        @Override
        public Object compatibilityKey() {
            return "k";
        }

        @Override
        public double costScale() {
            return 1.0;
        }
    }

    /**
     * The worker's batcher, its thread's loop replayed in event order: at every arrival, batch end and wake-up the
     * batcher decides until it has nothing more to do, as its thread does.
     */
    static Outcome worker(double[] arrivals, double sloMs, double delayMs) {
        AtomicLong clock = new AtomicLong();
        LatencyEstimator latency = new LatencyEstimator(MAX_BATCH);
        for (int b = 1; b <= MAX_BATCH; b++) {
            latency.observe(b, Math.round(latencyMs(b) * 1e6), 1.0);
        }
        BatchingPolicy policy = new BatchingPolicy(MAX_BATCH, Duration.ofNanos(Math.round(delayMs * 1e6)), 1_000_000,
                OverloadRule.DROP_HEAD);
        DynamicBatcher<Req> batcher = new DynamicBatcher<>("m", policy, latency, clock::get, 1, batch -> {
        }, expired -> {
        });
        long slo = Math.round(sloMs * 1e6);
        List<Event> batches = new ArrayList<>();
        TreeSet<Integer> dropped = new TreeSet<>();
        long busyUntil = Long.MAX_VALUE;
        long wake = Long.MAX_VALUE;
        int next = 0;
        while (next < arrivals.length || busyUntil != Long.MAX_VALUE || wake != Long.MAX_VALUE) {
            long arrival = next < arrivals.length ? Math.round(arrivals[next] * 1e9) : Long.MAX_VALUE;
            long now = Math.min(arrival, Math.min(busyUntil, wake));
            clock.set(now);
            if (now == busyUntil) {
                batcher.batchFinished();
                busyUntil = Long.MAX_VALUE;
            }
            while (next < arrivals.length && Math.round(arrivals[next] * 1e9) == now) {
                assertEquals(DynamicBatcher.Admission.ACCEPTED, batcher.offer(new Req(next, now, now + slo)));
                next++;
            }
            wake = Long.MAX_VALUE;
            while (true) {
                DynamicBatcher.Step<Req> step = batcher.step(now);
                step.expired().forEach(r -> dropped.add(r.id()));
                if (!step.expired().isEmpty()) {
                    batcher.expiredAnswered();
                }
                if (!step.batch().isEmpty()) {
                    int[] ids = step.batch().stream().mapToInt(Req::id).toArray();
                    assertEquals(ids.length - 1, ids[ids.length - 1] - ids[0], "consecutive: " + Arrays.toString(ids));
                    batches.add(new Event(Math.round(now / 1e3), ids[0], ids.length));
                    busyUntil = now + Math.round(latencyMs(ids.length) * 1e6);
                    continue;
                }
                if (step.expired().isEmpty()) {
                    wake = step.wakeAtNanos();
                    break;
                }
            }
            if (batcher.queuedItems() == 0) {
                wake = Long.MAX_VALUE;
            }
        }
        return new Outcome(batches, dropped);
    }
}
