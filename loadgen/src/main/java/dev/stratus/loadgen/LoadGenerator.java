package dev.stratus.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs a scenario open-loop: one scheduler thread sends each request at its intended time whatever the server is
 * doing (asynchronously, so a slow response never delays the next send), and latency is measured from the
 * intended send time, not from when the request actually left. A server that falls behind therefore shows its
 * whole backlog in the latencies instead of silently slowing the client down (coordinated omission).
 *
 * <pre>{@code
 * Scenario s = ScenarioLoader.load(Path.of("loadgen/scenarios/bursty.yaml"));
 * LoadResult r = new LoadGenerator(s, RunOptions.defaults().withTarget(URI.create("http://127.0.0.1:8080"))).run();
 * r.total().accounted();   // sent == ok + shed + deadline + errors
 * }</pre>
 */
public final class LoadGenerator {
    /** Head start so that the first sends are not late because of setup. */
    private static final long LEAD_NANOS = 100_000_000L;
    private static final int MAX_SAMPLE_CHARS = 160;

    private final Scenario scenario;
    private final RunOptions options;
    private final URI target;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    public LoadGenerator(Scenario scenario, RunOptions options) {
        this.scenario = scenario;
        this.options = options;
        URI t = options.target() != null ? options.target() : scenario.target();
        if (t == null) {
            throw new IllegalArgumentException("no target: give one in RunOptions or in the scenario");
        }
        this.target = t;
    }

    public URI target() {
        return target;
    }

    /** Stops sending early (from any thread); {@link #run} then drains and returns what was measured. */
    public void stop() {
        stopRequested.set(true);
    }

    public LoadResult run() {
        return run(p -> { });
    }

    /** Runs the scenario to the end and drains; {@code progress} is called once a second from another thread. */
    public LoadResult run(Consumer<Progress> progress) {
        Schedule schedule = new Schedule(scenario);
        List<ModelSpec> models = scenario.models();
        SplittableRandom inputRng = new SplittableRandom(scenario.seed() ^ 0x5DEECE66DL);
        List<RequestTemplates> templates = new ArrayList<>();
        List<Recorder> recorders = new ArrayList<>();
        for (ModelSpec m : models) {
            templates.add(new RequestTemplates(target, m, inputRng.split(), options.requestTimeout()));
            recorders.add(new Recorder(m.name(), m.sloMs()));
        }
        Recorder total = new Recorder("all", null);
        Set<Pending> pending = ConcurrentHashMap.newKeySet();
        Histogram sendLagUs = new Histogram(3_600_000_000L, 2); // scheduler thread only

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout()).build();
        long start = System.nanoTime() + LEAD_NANOS;
        Instant startedAt = Instant.now().plusNanos(LEAD_NANOS);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadgen-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> {
            double elapsed = (System.nanoTime() - start) / 1e9;
            int last = (int) Math.floor(elapsed) - 1;
            progress.accept(new Progress(elapsed, total.sentCount(), total.completedCount(), pending.size(),
                    total.offeredIn(last), total.p99In(last)));
            recorders.forEach(r -> r.freezeBefore(last));
            total.freezeBefore(last);
        }, LEAD_NANOS + 1_000_000_000L, 1_000_000_000L, TimeUnit.NANOSECONDS);

        try {
            for (Arrival a = schedule.next(); a != null && !stopRequested.get(); a = schedule.next()) {
                long intended = start + a.offsetNanos();
                for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                sendLagUs.recordValue(Math.min(3_600_000_000L, (System.nanoTime() - intended) / 1000));
                send(client, a.model(), intended, start, templates.get(a.model()), models.get(a.model()),
                        recorders.get(a.model()), total, pending);
            }
            drain(pending, start, models, recorders, total);
        } finally {
            ticker.shutdownNow();
            client.shutdownNow();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int length = Math.max((int) Math.ceil(scenario.durationSeconds()), total.secondsSeen());
        double duration = scenario.durationSeconds();
        return new LoadResult(scenario.name(), target.toString(), scenario.seed(), duration, elapsed,
                startedAt.toString(), recorders.stream().map(r -> r.stats(duration)).toList(), total.stats(duration),
                recorders.stream().map(r -> r.series(length)).toList(), total.series(length),
                LatencySummary.of(sendLagUs));
    }

    private void send(HttpClient client, int model, long intended, long start, RequestTemplates templates,
                      ModelSpec spec, Recorder recorder, Recorder total, Set<Pending> pending) {
        int second = second(intended, start);
        recorder.sent(second);
        total.sent(second);
        Pending p = new Pending(model, intended);
        pending.add(p);
        CompletableFuture<HttpResponse<String>> f;
        try {
            f = client.sendAsync(templates.next(), info -> info.statusCode() / 100 == 2
                    ? HttpResponse.BodySubscribers.replacing(null)
                    : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        p.future = f;
        f.whenComplete((response, failure) -> {
            if (!p.claim()) {
                return;
            }
            long now = System.nanoTime();
            long latency = now - intended;
            Outcome outcome;
            String sample = null;
            if (failure != null) {
                outcome = Outcome.ERROR;
                sample = describe(failure);
            } else {
                outcome = Outcome.of(response.statusCode());
                if (outcome != Outcome.OK) {
                    sample = "HTTP " + response.statusCode() + ": " + truncate(response.body());
                }
            }
            boolean withinSlo = outcome == Outcome.OK && latency <= spec.sloMs() * 1e6;
            int completedSecond = second(now, start);
            recorder.completed(completedSecond, outcome, latency, withinSlo, sample);
            total.completed(completedSecond, outcome, latency, withinSlo, sample);
            pending.remove(p);
        });
    }

    /** Waits for the requests still in flight; whatever is missing at the drain timeout is counted as an error. */
    private void drain(Set<Pending> pending, long start, List<ModelSpec> models, List<Recorder> recorders,
                       Recorder total) {
        long giveUp = System.nanoTime() + options.drainTimeout().toNanos();
        while (!pending.isEmpty() && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(5_000_000L);
        }
        for (Pending p : List.copyOf(pending)) {
            if (p.claim()) {
                long now = System.nanoTime();
                String sample = "no response within the drain timeout (" + options.drainTimeout().toSeconds() + " s)";
                recorders.get(p.model).completed(second(now, start), Outcome.ERROR, now - p.intended, false, sample);
                total.completed(second(now, start), Outcome.ERROR, now - p.intended, false, sample);
                pending.remove(p);
                if (p.future != null) {
                    p.future.cancel(true);
                }
            }
        }
    }

    private static int second(long nanos, long start) {
        return (int) Math.max(0, (nanos - start) / 1_000_000_000L);
    }

    private static String describe(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return truncate(cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    private static String truncate(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= MAX_SAMPLE_CHARS ? one : one.substring(0, MAX_SAMPLE_CHARS) + "...";
    }

    /** A request in flight; whichever of its completion or the drain timeout claims it first records it. */
    private static final class Pending extends AtomicBoolean {
        final int model;
        final long intended;
        volatile CompletableFuture<?> future;

        Pending(int model, long intended) {
            this.model = model;
            this.intended = intended;
        }

        boolean claim() {
            return compareAndSet(false, true);
        }
    }
}
