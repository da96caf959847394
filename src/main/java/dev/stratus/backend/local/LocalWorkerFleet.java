package dev.stratus.backend.local;

import dev.stratus.core.autoscaling.ScalingEvent;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.GroupTarget;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import dev.stratus.core.port.WorkerFleet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The local backend: every replica is a worker process on this machine, on a free loopback port. One thread
 * reconciles the fleet with its target a few times a second: it promotes warm standbys when more replicas
 * must serve (no cold start), starts new processes for what the pool cannot cover and to refill the pool,
 * drains surplus replicas (out of routing first, then SIGTERM, which makes the worker finish its queue), and
 * replaces processes that died. Every action is reported as a {@link ScalingEvent} with its reason.
 */
public final class LocalWorkerFleet implements WorkerFleet {
    private static final Logger LOG = Logger.getLogger(LocalWorkerFleet.class);
    private static final long RECONCILE_MILLIS = 200;
    /** How long the pool waits after a promotion before starting a replacement standby. */
    static final long REFILL_PAUSE_MILLIS = 10_000;

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("local-fleet").daemon(true).unstarted(r));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
    private final java.util.concurrent.ExecutorService warmer = Executors.newSingleThreadExecutor(r ->
            Thread.ofPlatform().name("local-fleet-warmer").daemon(true).unstarted(r));
    private final Path logDir;
    private final List<String> extraWorkerArgs;
    private final Consumer<ScalingEvent> events;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Only touched on the loop thread. */
    private final Map<String, List<LocalReplica>> groups = new LinkedHashMap<>();
    private final Map<String, Long> lastPromotion = new java.util.HashMap<>();
    private FleetTarget target = FleetTarget.EMPTY;
    private int nextId;
    private volatile List<Replica> snapshot = List.of();

    /**
     * @param extraWorkerArgs arguments every worker gets (for example the optimised-model cache directory)
     */
    public LocalWorkerFleet(Path logDir, List<String> extraWorkerArgs, Consumer<ScalingEvent> events) {
        this.logDir = logDir;
        this.extraWorkerArgs = List.copyOf(extraWorkerArgs);
        this.events = events;
        loop.scheduleWithFixedDelay(this::reconcileSafely, RECONCILE_MILLIS, RECONCILE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void apply(FleetTarget next) {
        loop.execute(() -> {
            target = next;
            reconcileSafely();
        });
    }

    @Override
    public List<Replica> replicas() {
        return snapshot;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** The process of a replica, for tests that kill one. */
    public java.util.Optional<Process> process(String replicaId) {
        return groups.values().stream().flatMap(List::stream).filter(r -> r.id.equals(replicaId)).findFirst()
                .map(r -> r.worker.process());
    }

    private void reconcileSafely() {
        try {
            if (reconcile()) {
                publish();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "fleet reconciliation failed; retrying");
        }
    }

    /** One pass toward the target; true when anything changed. */
    private boolean reconcile() {
        boolean changed = reap() | checkReadiness();
        Map<String, GroupTarget> wanted = new LinkedHashMap<>();
        target.groups().forEach(g -> wanted.put(g.spec().groupId(), g));
        for (Map.Entry<String, List<LocalReplica>> e : groups.entrySet()) {
            GroupTarget g = wanted.get(e.getKey());
            for (LocalReplica r : e.getValue()) {
                if (r.state != ReplicaState.DRAINING && (g == null || !g.spec().equals(r.spec))) {
                    drain(r, g == null ? "group " + e.getKey() + " is no longer planned"
                            : "group " + e.getKey() + " was re-planned with a new configuration");
                    changed = true;
                }
            }
        }
        for (GroupTarget g : wanted.values()) {
            changed |= converge(g);
        }
        return changed;
    }

    private boolean converge(GroupTarget g) {
        String id = g.spec().groupId();
        List<LocalReplica> rs = groups.computeIfAbsent(id, k -> new ArrayList<>());
        List<LocalReplica> serving = select(rs, true);
        List<LocalReplica> standby = select(rs, false);
        int servingBefore = serving.size();
        boolean changed = false;
        // More must serve: warm standbys first (ready now), then standbys still warming, then cold starts.
        standby.sort(Comparator.comparing((LocalReplica r) -> r.state != ReplicaState.STANDBY));
        int promoted = 0;
        while (serving.size() < g.serving() && !standby.isEmpty()) {
            LocalReplica r = standby.remove(0);
            boolean ready = r.state == ReplicaState.STANDBY;
            r.forServing = true;
            if (ready) {
                r.state = ReplicaState.SERVING;
                promoted++;
            }
            serving.add(r);
            changed = true;
        }
        if (promoted > 0) {
            lastPromotion.put(id, System.currentTimeMillis());
            event(id, ScalingEvent.Kind.PROMOTE_WARM, servingBefore, servingBefore + promoted, promoted
                    + " warm standby replica(s) promoted to serving; target " + g.serving());
        }
        int cold = 0;
        while (serving.size() < g.serving()) {
            serving.add(start(g.spec(), true));
            cold++;
        }
        if (cold > 0) {
            event(id, ScalingEvent.Kind.START_COLD, servingBefore + promoted, g.serving(), cold
                    + " replica(s) started cold: the warm pool had " + promoted + " for a target of " + g.serving());
            changed = true;
        }
        // Fewer must serve: the newest ones go back to the pool if it is short, else they drain.
        serving.sort(Comparator.comparingLong((LocalReplica r) -> r.startedAt).reversed());
        while (serving.size() > g.serving()) {
            LocalReplica r = serving.remove(0);
            if (standby.size() < g.standby() && r.state == ReplicaState.SERVING) {
                r.forServing = false;
                r.state = ReplicaState.STANDBY;
                standby.add(r);
                event(id, ScalingEvent.Kind.DEMOTE_WARM, serving.size() + 1, serving.size(),
                        "replica " + r.id + " leaves routing and waits in the warm pool; target " + g.serving());
            } else {
                drain(r, "scale down to " + g.serving() + " serving replica(s)");
            }
            changed = true;
        }
        // Refill one standby at a time, never while a replica is starting to serve, and not in the first seconds
        // after a promotion: a JVM start costs a couple of core-seconds, which on one machine come out of the
        // replicas serving the load that caused the promotion.
        int refill = 0;
        boolean starting = rs.stream().anyMatch(r -> r.state == ReplicaState.STARTING);
        boolean settling = System.currentTimeMillis() - lastPromotion.getOrDefault(id, 0L) < REFILL_PAUSE_MILLIS;
        if (standby.size() < g.standby() && !starting && !settling) {
            standby.add(start(g.spec(), false));
            refill++;
        }
        if (refill > 0) {
            event(id, ScalingEvent.Kind.REFILL_WARM, standby.size() - refill, standby.size(), "standby replica "
                    + "started toward " + g.standby() + " warm (one at a time)");
            changed = true;
        }
        while (standby.size() > g.standby()) {
            drain(standby.remove(standby.size() - 1), "warm pool above its target of " + g.standby());
            changed = true;
        }
        return changed;
    }

    private static List<LocalReplica> select(List<LocalReplica> rs, boolean forServing) {
        List<LocalReplica> out = new ArrayList<>();
        for (LocalReplica r : rs) {
            if (r.state != ReplicaState.DRAINING && r.forServing == forServing) {
                out.add(r);
            }
        }
        return out;
    }

    private LocalReplica start(WorkerGroupSpec spec, boolean forServing) {
        String id = spec.groupId() + "-" + (++nextId);
        List<String> args = new ArrayList<>(List.of("--models", String.join(",", spec.models()),
                "--threads", Integer.toString(spec.threads())));
        for (String m : spec.models()) {
            args.addAll(List.of("--max-batch", m + "=" + spec.maxBatch().get(m),
                    "--max-queue-delay-ms", m + "=" + spec.maxQueueDelayMs().get(m)));
        }
        args.addAll(extraWorkerArgs);
        try {
            WorkerProcess w = WorkerProcess.start(args, 0, logDir.resolve(id + ".log"));
            LOG.infof("replica %s starting on port %d (%s)", id, w.port(), forServing ? "to serve" : "standby");
            LocalReplica r = new LocalReplica(id, spec, w, forServing, System.currentTimeMillis());
            groups.computeIfAbsent(spec.groupId(), k -> new ArrayList<>()).add(r);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a worker for group " + spec.groupId() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Out of routing at once (the state change is published), then SIGTERM: the worker finishes its queue. */
    private void drain(LocalReplica r, String reason) {
        r.state = ReplicaState.DRAINING;
        r.worker.process().destroy();
        event(r.spec.groupId(), ScalingEvent.Kind.DRAIN, 1, 0, "replica " + r.id + " drains: " + reason);
    }

    /** Removes finished drains; a replica that died unasked is reported and replaced by the next pass. */
    private boolean reap() {
        boolean changed = false;
        for (List<LocalReplica> rs : groups.values()) {
            for (LocalReplica r : List.copyOf(rs)) {
                if (r.worker.process().isAlive()) {
                    continue;
                }
                rs.remove(r);
                changed = true;
                if (r.state != ReplicaState.DRAINING) {
                    event(r.spec.groupId(), ScalingEvent.Kind.RESTART, 1, 0, "replica " + r.id + " exited with status "
                            + r.worker.process().exitValue() + " while " + r.state + "; a replacement starts (log "
                            + r.worker.log() + ")");
                }
            }
        }
        return changed;
    }

    private boolean checkReadiness() {
        boolean changed = false;
        for (List<LocalReplica> rs : groups.values()) {
            for (LocalReplica r : rs) {
                if (r.state != ReplicaState.STARTING) {
                    continue;
                }
                if (r.httpWarmed) {
                    r.state = r.forServing ? ReplicaState.SERVING : ReplicaState.STANDBY;
                    r.readyAt = System.currentTimeMillis();
                    LOG.infof("replica %s ready after %d ms (%s)", r.id, r.readyAt - r.startedAt, r.state);
                    changed = true;
                } else if (!r.httpWarming && ready(r)) {
                    r.httpWarming = true;
                    warmer.execute(() -> {
                        try {
                            HttpWarmUp.run(r.worker.port(), r.spec.models());
                        } finally {
                            r.httpWarmed = true;
                        }
                    });
                }
            }
        }
        return changed;
    }

    private boolean ready(LocalReplica r) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.worker.port()
                            + "/v2/health/ready")).timeout(Duration.ofMillis(300)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void publish() {
        List<Replica> all = new ArrayList<>();
        for (List<LocalReplica> rs : groups.values()) {
            for (LocalReplica r : rs) {
                all.add(new Replica(r.id, r.spec.groupId(), "127.0.0.1", r.worker.port(), r.state, r.spec.models(),
                        r.startedAt, r.readyAt));
            }
        }
        snapshot = List.copyOf(all);
        listeners.forEach(Runnable::run);
    }

    private void event(String group, ScalingEvent.Kind kind, int from, int to, String reason) {
        LOG.infof("%s %s: %s", group, kind, reason);
        events.accept(new ScalingEvent(System.currentTimeMillis(), group, kind, from, to, reason));
    }

    @Override
    public void close() {
        try {
            loop.submit(() -> {
                target = FleetTarget.EMPTY;
                for (List<LocalReplica> rs : groups.values()) {
                    for (LocalReplica r : rs) {
                        if (r.state != ReplicaState.DRAINING) {
                            drain(r, "control service stopping");
                        }
                    }
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("stopping the fleet: %s", e.getMessage());
        }
        loop.shutdownNow();
        warmer.shutdownNow();
        for (List<LocalReplica> rs : groups.values()) {
            for (LocalReplica r : rs) {
                try {
                    r.worker.stop(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        publish();
    }

    /** Mutable bookkeeping of one process, confined to the loop thread. */
    private static final class LocalReplica {
        final String id;
        final WorkerGroupSpec spec;
        final WorkerProcess worker;
        final long startedAt;
        boolean forServing;
        ReplicaState state = ReplicaState.STARTING;
        boolean httpWarming;
        /** Set by the warm-up thread once the replica's request path has served a few requests. */
        volatile boolean httpWarmed;
        long readyAt;

        LocalReplica(String id, WorkerGroupSpec spec, WorkerProcess worker, boolean forServing, long startedAt) {
            this.id = id;
            this.spec = spec;
            this.worker = worker;
            this.forServing = forServing;
            this.startedAt = startedAt;
        }
    }
}
