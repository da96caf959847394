package dev.stratus.backend.local;

import dev.stratus.core.autoscaling.RestartBackoff;
import dev.stratus.core.autoscaling.ScalingEvent;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.GroupStatus;
import dev.stratus.core.model.fleet.GroupTarget;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import dev.stratus.core.port.StateStore;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
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
 * replaces processes that died, backing off when they keep dying. Standbys start at a lower CPU priority and
 * are raised when promoted. With a state store, the fleet is recorded after every change and a restarted
 * control service adopts the workers of its predecessor. Every action is reported as a {@link ScalingEvent}.
 */
public final class LocalWorkerFleet implements WorkerFleet {
    private static final Logger LOG = Logger.getLogger(LocalWorkerFleet.class);
    private static final long RECONCILE_MILLIS = 200;
    /** How long the pool waits after a promotion before starting a replacement standby. */
    static final long REFILL_PAUSE_MILLIS = 10_000;

    /**
     * How the fleet runs its workers.
     *
     * @param backoff            restarts of crashing workers, and when a group is degraded
     * @param startTimeout       a worker not ready by then is killed (and counts as a crash)
     * @param state              where the fleet is recorded for a restarted service to adopt
     * @param ownerFile          the owner record workers follow (absent: they follow this process only)
     * @param orphanGraceMillis  how long an orphaned worker waits to be adopted before it drains and exits
     * @param lowPriorityStandby start standbys at a lower CPU priority (where it can be raised on promotion)
     */
    public record Settings(RestartBackoff backoff, Duration startTimeout, StateStore state, Optional<Path> ownerFile,
            long orphanGraceMillis, boolean lowPriorityStandby) {
        public static final Duration START_TIMEOUT = Duration.ofMinutes(3);

        public static Settings defaults() {
            return new Settings(RestartBackoff.DEFAULT, START_TIMEOUT, StateStore.NONE, Optional.empty(), 0, true);
        }

        /** Recorded in {@code state}; workers follow {@code ownerFile} and wait {@code graceMillis} to be adopted. */
        public Settings persistent(StateStore store, Path owner, long graceMillis) {
            return new Settings(backoff, startTimeout, store, Optional.of(owner), graceMillis, lowPriorityStandby);
        }

        public Settings withBackoff(RestartBackoff b, Duration timeout) {
            return new Settings(b, timeout, state, ownerFile, orphanGraceMillis, lowPriorityStandby);
        }
    }

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("local-fleet").daemon(true).unstarted(r));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
    private final ExecutorService warmer = Executors.newSingleThreadExecutor(r ->
            Thread.ofPlatform().name("local-fleet-warmer").daemon(true).unstarted(r));
    private final Path logDir;
    private final List<String> extraWorkerArgs;
    private final Consumer<ScalingEvent> events;
    private final Settings settings;
    private final boolean canRaise;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Only touched on the loop thread. */
    private final Map<String, List<LocalReplica>> groups = new LinkedHashMap<>();
    private final Map<String, Long> lastPromotion = new HashMap<>();
    private final Map<String, RestartBackoff.Crashes> crashes = new HashMap<>();
    private final Map<String, String> lastCrash = new HashMap<>();
    private FleetTarget target = FleetTarget.EMPTY;
    private boolean reconciling;
    private int nextId;
    private volatile List<Replica> snapshot = List.of();
    private volatile Map<String, ProcessHandle> handles = Map.of();
    private volatile List<GroupStatus> statuses = List.of();

    /**
     * @param extraWorkerArgs arguments every worker gets (for example the optimised-model cache directory)
     */
    public LocalWorkerFleet(Path logDir, List<String> extraWorkerArgs, Consumer<ScalingEvent> events) {
        this(logDir, extraWorkerArgs, events, Settings.defaults());
    }

    public LocalWorkerFleet(Path logDir, List<String> extraWorkerArgs, Consumer<ScalingEvent> events,
            Settings settings) {
        this.logDir = logDir;
        this.extraWorkerArgs = List.copyOf(extraWorkerArgs);
        this.events = events;
        this.settings = settings;
        this.canRaise = settings.lowPriorityStandby() && ProcessPriority.canRaise();
        try {
            // Before the first target arrives, so that adopted replicas count toward it.
            loop.submit(this::adoptRecorded).get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            LOG.errorf(e, "adopting the workers of a previous control service failed; starting afresh");
        }
    }

    @Override
    public void apply(FleetTarget next) {
        loop.execute(() -> {
            target = next;
            if (!reconciling) {
                // Only from the first target on: reconciling toward none would drain the adopted workers.
                reconciling = true;
                loop.scheduleWithFixedDelay(this::reconcileSafely, RECONCILE_MILLIS, RECONCILE_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
            reconcileSafely();
        });
    }

    @Override
    public List<Replica> replicas() {
        return snapshot;
    }

    @Override
    public List<GroupStatus> groups() {
        return statuses;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** The process of a replica (its pid for the fleet API, or a test that kills it). */
    public Optional<ProcessHandle> process(String replicaId) {
        return Optional.ofNullable(handles.get(replicaId));
    }

    private void reconcileSafely() {
        try {
            boolean changed = reconcile();
            if (changed) {
                publish();
            }
            statuses = statusOfGroups(System.currentTimeMillis());
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
        long now = System.currentTimeMillis();
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
            raise(r);
            if (ready) {
                r.state = ReplicaState.SERVING;
                promoted++;
            }
            serving.add(r);
            changed = true;
        }
        if (promoted > 0) {
            lastPromotion.put(id, now);
            event(id, ScalingEvent.Kind.PROMOTE_WARM, servingBefore, servingBefore + promoted, promoted
                    + " warm standby replica(s) promoted to serving; target " + g.serving());
        }
        // A group whose workers keep crashing waits out its back-off before it starts another process.
        RestartBackoff.Crashes record = settings.backoff().current(crashes.getOrDefault(id,
                RestartBackoff.Crashes.NONE), now);
        boolean mayStart = settings.backoff().mayStart(record, now);
        int cold = 0;
        while (serving.size() < g.serving() && mayStart) {
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
        boolean settling = now - lastPromotion.getOrDefault(id, 0L) < REFILL_PAUSE_MILLIS;
        if (standby.size() < g.standby() && !starting && !settling && mayStart) {
            standby.add(start(g.spec(), false));
            refill++;
        }
        if (refill > 0) {
            event(id, ScalingEvent.Kind.REFILL_WARM, standby.size() - refill, standby.size(), "standby replica "
                    + "started toward " + g.standby() + " warm (one at a time"
                    + (standby.get(standby.size() - 1).niceness > 0 ? ", at nice " + ProcessPriority.BACKGROUND
                    + " until promoted" : "") + ")");
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

    /** The {@code stratus worker} arguments of a group's replicas (without the port). */
    static List<String> workerArgs(WorkerGroupSpec spec) {
        List<String> args = new ArrayList<>(List.of("--models", String.join(",", spec.models()),
                "--threads", Integer.toString(spec.threads())));
        for (String m : spec.models()) {
            args.addAll(List.of("--max-batch", m + "=" + spec.maxBatch().get(m),
                    "--max-queue-delay-ms", m + "=" + spec.maxQueueDelayMs().get(m)));
        }
        return args;
    }

    private LocalReplica start(WorkerGroupSpec spec, boolean forServing) {
        String id = spec.groupId() + "-" + (++nextId);
        List<String> args = new ArrayList<>(workerArgs(spec));
        args.addAll(extraWorkerArgs);
        int niceness = ProcessPriority.niceness(forServing ? ProcessPriority.Purpose.SERVE
                : ProcessPriority.Purpose.STANDBY, canRaise);
        try {
            WorkerProcess w = WorkerProcess.start(args, 0, logDir.resolve(id + ".log"), new WorkerProcess.Launch(
                    niceness, settings.ownerFile(), settings.orphanGraceMillis()));
            LOG.infof("replica %s starting on port %d (%s, nice %d)", id, w.port(), forServing ? "to serve"
                    : "standby", niceness);
            LocalReplica r = new LocalReplica(id, spec, w, forServing, System.currentTimeMillis());
            r.niceness = niceness;
            groups.computeIfAbsent(spec.groupId(), k -> new ArrayList<>()).add(r);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a worker for group " + spec.groupId() + ": "
                    + e.getMessage(), e);
        }
    }

    /** A standby about to serve gets its normal CPU priority back. */
    private void raise(LocalReplica r) {
        if (r.niceness == 0) {
            return;
        }
        if (r.worker.raisePriority()) {
            r.niceness = 0;
        } else {
            LOG.warnf("replica %s serves at nice %d: its priority could not be raised", r.id, r.niceness);
        }
    }

    /** Out of routing at once (the state change is published), then SIGTERM: the worker finishes its queue. */
    private void drain(LocalReplica r, String reason) {
        r.state = ReplicaState.DRAINING;
        r.worker.terminate();
        event(r.spec.groupId(), ScalingEvent.Kind.DRAIN, 1, 0, "replica " + r.id + " drains: " + reason);
    }

    /** Removes finished drains; a replica that died unasked is a crash, replaced after the group's back-off. */
    private boolean reap() {
        boolean changed = false;
        long now = System.currentTimeMillis();
        for (Map.Entry<String, List<LocalReplica>> e : groups.entrySet()) {
            for (LocalReplica r : List.copyOf(e.getValue())) {
                if (r.worker.alive()) {
                    continue;
                }
                e.getValue().remove(r);
                changed = true;
                if (r.state != ReplicaState.DRAINING) {
                    crashed(e.getKey(), r, now);
                }
            }
        }
        return changed;
    }

    private void crashed(String group, LocalReplica r, long now) {
        RestartBackoff backoff = settings.backoff();
        RestartBackoff.Crashes c = backoff.crashed(crashes.getOrDefault(group, RestartBackoff.Crashes.NONE), now);
        crashes.put(group, c);
        String how = r.timedOut ? "was not ready after " + settings.startTimeout().toSeconds() + " s and was killed"
                : r.worker.exit();
        lastCrash.put(group, "replica " + r.id + " " + how + " (log " + r.worker.log() + ")");
        long delay = c.restartAtMillis() - now;
        String next = delay <= 0 ? "a replacement starts now" : String.format("the replacement waits %.1f s "
                + "(back-off doubles per crash in a row, up to %d s)", delay / 1000.0, backoff.capMillis() / 1000);
        String degraded = backoff.degraded(c, now) ? "; group DEGRADED: " + c.inARow() + " crashes in a row" : "";
        event(group, ScalingEvent.Kind.RESTART, 1, 0, "replica " + r.id + " " + how + " while " + r.state
                + " (crash " + c.inARow() + " in a row); " + next + degraded + " (log " + r.worker.log() + ")");
    }

    private boolean checkReadiness() {
        boolean changed = false;
        long now = System.currentTimeMillis();
        for (List<LocalReplica> rs : groups.values()) {
            for (LocalReplica r : rs) {
                if (r.state != ReplicaState.STARTING) {
                    continue;
                }
                if (r.httpWarmed) {
                    r.state = r.forServing ? ReplicaState.SERVING : ReplicaState.STANDBY;
                    r.readyAt = now;
                    LOG.infof("replica %s ready after %d ms (%s)", r.id, r.readyAt - r.startedAt, r.state);
                    changed = true;
                } else if (!r.httpWarming && now - r.startedAt > settings.startTimeout().toMillis()) {
                    r.timedOut = true;
                    r.worker.kill(); // reaped, and counted as a crash, on the next pass
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
        Map<String, ProcessHandle> processes = new HashMap<>();
        for (List<LocalReplica> rs : groups.values()) {
            for (LocalReplica r : rs) {
                all.add(new Replica(r.id, r.spec.groupId(), "127.0.0.1", r.worker.port(), r.state, r.spec.models(),
                        r.startedAt, r.readyAt));
                processes.put(r.id, r.worker.handle());
            }
        }
        snapshot = List.copyOf(all);
        handles = Map.copyOf(processes);
        record();
        listeners.forEach(Runnable::run);
    }

    /** Writes the fleet to the state store, for a restarted control service to adopt. */
    private void record() {
        List<FleetRecord.Worker> workers = new ArrayList<>();
        for (List<LocalReplica> rs : groups.values()) {
            for (LocalReplica r : rs) {
                if (r.state == ReplicaState.DRAINING) {
                    continue; // it exits by itself
                }
                long processStart = OwnerRecord.of(r.worker.handle()).map(OwnerRecord::startedEpochMillis).orElse(0L);
                workers.add(new FleetRecord.Worker(r.id, r.spec, r.worker.pid(), processStart, r.worker.port(),
                        r.state, r.forServing, r.startedAt, r.readyAt, r.niceness, r.worker.log().toString()));
            }
        }
        try {
            settings.state().write(FleetRecord.KEY, new FleetRecord(workers, nextId).toJson());
        } catch (RuntimeException e) {
            LOG.warnf("cannot record the fleet (a restart would not adopt these workers): %s", e.getMessage());
        }
    }

    /**
     * Takes over the workers a previous control service recorded, when each is verifiably still the same worker
     * process (see {@link WorkerAdoption}); stops the ones that are not, and any other worker still following this
     * service's owner file. Runs once, before the first target.
     */
    private void adoptRecorded() {
        if (settings.ownerFile().isEmpty()) {
            return;
        }
        WorkerAdoption adoption = new WorkerAdoption(settings.ownerFile().get());
        FleetRecord recorded = settings.state().read(FleetRecord.KEY)
                .flatMap(text -> FleetRecord.parse(text, LOG::warn)).orElse(FleetRecord.EMPTY);
        nextId = Math.max(nextId, recorded.nextId());
        Set<Long> adopted = new HashSet<>();
        for (FleetRecord.Worker w : recorded.workers()) {
            WorkerAdoption.Verdict v;
            try {
                v = adoption.check(w);
            } catch (RuntimeException e) {
                v = WorkerAdoption.Verdict.no("it could not be checked (" + e.getMessage() + ")");
            }
            ProcessHandle handle = ProcessHandle.of(w.pid()).orElse(null);
            if (v.adoptable() && handle == null) {
                v = WorkerAdoption.Verdict.no("process " + w.pid() + " is gone");
            }
            if (!v.adoptable()) {
                if (adoption.ours(w.pid())) {
                    ProcessHandle.of(w.pid()).ifPresent(ProcessHandle::destroy); // ours but unusable: it drains
                }
                event(w.spec().groupId(), ScalingEvent.Kind.ADOPT, 0, 0, "replica " + w.id() + " of the previous "
                        + "control service not adopted: " + v.reason() + "; the plan's replicas start anew");
                continue;
            }
            LocalReplica r = new LocalReplica(w.id(), w.spec(), WorkerProcess.adopted(handle, w.port(),
                    Path.of(w.log()), w.startedAtMillis()), w.forServing(), w.startedAtMillis());
            r.niceness = w.niceness();
            boolean ready = v.ready() && (w.state() == ReplicaState.SERVING || w.state() == ReplicaState.STANDBY);
            if (ready) {
                r.state = w.state();
                r.readyAt = w.readyAtMillis();
                r.httpWarmed = true;
                r.httpWarming = true;
            }
            groups.computeIfAbsent(w.spec().groupId(), k -> new ArrayList<>()).add(r);
            adopted.add(w.pid());
            event(w.spec().groupId(), ScalingEvent.Kind.ADOPT, 0, 1, "replica " + w.id() + " (pid " + w.pid()
                    + ", port " + w.port() + ") of the previous control service adopted as " + r.state);
        }
        for (ProcessHandle stray : adoption.following()) {
            if (!adopted.contains(stray.pid())) {
                stray.destroy();
                event("fleet", ScalingEvent.Kind.ADOPT, 0, 0, "worker process " + stray.pid() + " of the previous "
                        + "control service was not in its record (started just before it stopped?): stopped");
            }
        }
        publish();
    }

    private List<GroupStatus> statusOfGroups(long now) {
        Map<String, GroupTarget> wanted = new LinkedHashMap<>();
        target.groups().forEach(g -> wanted.put(g.spec().groupId(), g));
        Set<String> ids = new LinkedHashSet<>(wanted.keySet());
        ids.addAll(groups.keySet());
        ids.addAll(crashes.keySet());
        List<GroupStatus> out = new ArrayList<>();
        RestartBackoff backoff = settings.backoff();
        for (String id : ids) {
            GroupTarget g = wanted.get(id);
            List<LocalReplica> rs = groups.getOrDefault(id, List.of());
            if (g == null && rs.isEmpty()) {
                continue; // neither planned nor running: nothing to report
            }
            List<String> models = g != null ? g.spec().models() : rs.get(0).spec.models();
            RestartBackoff.Crashes c = backoff.current(crashes.getOrDefault(id, RestartBackoff.Crashes.NONE), now);
            boolean degraded = backoff.degraded(c, now);
            long nextStart = c.restartAtMillis() > now ? c.restartAtMillis() : 0;
            String message = c.inARow() == 0 ? "" : c.inARow() + " crash(es) in a row; last: "
                    + lastCrash.getOrDefault(id, "?") + (nextStart > 0 ? String.format("; next start in %.1f s",
                    (nextStart - now) / 1000.0) : "");
            out.add(new GroupStatus(id, models, degraded ? GroupStatus.Health.DEGRADED : GroupStatus.Health.HEALTHY,
                    g == null ? 0 : g.serving(), g == null ? 0 : g.standby(), count(rs, ReplicaState.SERVING),
                    count(rs, ReplicaState.STANDBY), count(rs, ReplicaState.STARTING), c.inARow(), nextStart,
                    message));
        }
        return List.copyOf(out);
    }

    private static int count(List<LocalReplica> rs, ReplicaState state) {
        return (int) rs.stream().filter(r -> r.state == state).count();
    }

    private void event(String group, ScalingEvent.Kind kind, int from, int to, String reason) {
        LOG.infof("%s %s: %s", group, kind, reason);
        events.accept(new ScalingEvent(System.currentTimeMillis(), group, kind, from, to, reason));
    }

    /** Drains every worker and waits for them to exit; the record is left empty (nothing to adopt). */
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
        groups.values().forEach(List::clear);
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
        int niceness;
        boolean httpWarming;
        /** Set by the warm-up thread once the replica's request path has served a few requests. */
        volatile boolean httpWarmed;
        boolean timedOut;
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
