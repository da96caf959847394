package dev.stratus.core.simulation;

import dev.stratus.core.batching.BatchDecision;
import dev.stratus.core.batching.BatchFormation;
import dev.stratus.core.batching.BatchLatency;
import dev.stratus.core.batching.BatchQueue;
import dev.stratus.core.simulation.arrival.ArrivalProcess.ArrivalStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * The state and event handlers of one run. Times are seconds (doubles). Requests are not objects: a queued request
 * is its arrival time in its replica's per-model queue, and its model and group are implied by the queue.
 *
 * <p>Network round trips: a group's clients see its pool's RTT. Charging the whole RTT to the request's budget
 * (deadline = arrival + SLO − RTT at the replica) and adding it to the measured latency is the same as delaying
 * the group's arrivals by RTT/2 and its answers by RTT/2: a constant shift of that group's timeline.
 */
final class SimulationRun {
    private static final int ARRIVAL = 0;
    private static final int TIMER = 1;
    private static final int DONE = 2;
    private static final int READY = 3;
    private static final int TICK = 4;
    private static final int KIND_BITS = 3;

    private static final int STARTING = 0;
    private static final int RUNNING = 1;
    private static final int DRAINING = 2;
    private static final int STOPPED = 3;

    private final String label;
    private final SimConfig config;
    private final ScalingPolicy policy;
    private final long seed;
    private final Simulator.ProgressListener progress;
    private final SimTrace trace;
    /** Reused by every batch decision (the run is single-threaded): the batcher's loop allocates nothing. */
    private final BatchDecision decision = new BatchDecision();
    private final LaneQueue laneQueue = new LaneQueue();
    private final double duration;
    private final double period;
    private final EventQueue events = new EventQueue();
    private final SplittableRandom serviceRng;
    private final SplittableRandom overheadRng;
    private final HopOverhead overhead;
    private final ModelState[] models;
    private final GroupState[] groups;
    private final List<Replica> replicas = new ArrayList<>();
    private final List<ScalingEvent> scalingEvents = new ArrayList<>();
    private double now;
    private double lastTick;
    private long tickIndex;
    private long totalRequests;

    SimulationRun(String label, SimConfig config, ScalingPolicy policy, long seed, Simulator.ProgressListener progress,
            SimTrace trace) {
        this.label = label;
        this.config = config;
        this.policy = policy;
        this.seed = seed;
        this.progress = progress;
        this.trace = trace;
        this.duration = config.workload().durationSeconds();
        this.period = config.workload().controlPeriodSeconds();
        SplittableRandom master = new SplittableRandom(seed);
        List<SimModel> specs = config.workload().models();
        models = new ModelState[specs.size()];
        for (int m = 0; m < models.length; m++) {
            // Split in model order, before anything policy-dependent: every policy sees the same arrivals.
            models[m] = new ModelState(m, specs.get(m), master.split());
        }
        serviceRng = master.split();
        overheadRng = master.split(); // split last: runs without overhead draw everything else as before
        overhead = config.workload().overhead();
        groups = new GroupState[config.groups().size()];
        for (int g = 0; g < groups.length; g++) {
            groups[g] = new GroupState(g, config.groups().get(g));
        }
        for (ModelState ms : models) {
            ms.linkGroups();
        }
    }

    SimResult run() {
        for (GroupState g : groups) {
            for (int i = 0; i < g.spec.replicas(); i++) {
                Replica r = newReplica(g);
                r.state = RUNNING;
                g.paid++;
                g.addReady(r);
            }
            g.initialReplicas = g.spec.replicas();
            g.peakReplicas = g.initialReplicas;
        }
        for (ModelState ms : models) {
            scheduleNextArrival(ms);
        }
        if (period <= duration) {
            events.push(period, TICK);
        }
        while (!events.isEmpty()) {
            now = events.peekTime();
            long payload = events.peekPayload();
            events.pop();
            int index = (int) (payload >>> KIND_BITS);
            switch ((int) (payload & ((1 << KIND_BITS) - 1))) {
                case ARRIVAL -> onArrival(models[index]);
                case TIMER -> onTimer(replicas.get(index));
                case DONE -> onDone(replicas.get(index));
                case READY -> onReady(replicas.get(index));
                case TICK -> onTick();
                default -> throw new IllegalStateException("unknown event " + payload);
            }
        }
        for (GroupState g : groups) {
            g.accrue(duration);
        }
        progress.progress(duration, duration, totalRequests);
        return result();
    }

    // ---- arrivals and dispatch ----

    private void scheduleNextArrival(ModelState ms) {
        double t = ms.stream.next();
        if (t < duration) {
            events.push(t, ((long) ms.index << KIND_BITS) | ARRIVAL);
        }
    }

    private void onArrival(ModelState ms) {
        scheduleNextArrival(ms);
        totalRequests++;
        ms.requests++;
        ms.windowArrivals++;
        int entry = ms.pickGroup();
        if (entry < 0) {
            ms.drop(1); // no ready replica anywhere: the gateway answers at once with an error
            return;
        }
        GroupState g = groups[ms.groupOf[entry]];
        int member = ms.memberOf[entry];
        Replica r = g.pickReplica(member);
        Lane lane = r.lanes[member];
        g.windowArrivals++;
        g.dispatched++;
        if (lane.queue.size() >= g.spec.maxQueuePerReplica()) {
            g.windowDropped++;
            ms.drop(1);
            return;
        }
        lane.queue.add(now);
        g.changeInSystem(now, 1);
        if (!r.busy) {
            tryStart(r);
        }
    }

    // ---- the replica's dynamic batcher: the worker's own batch rule, core.batching.BatchFormation ----

    private void tryStart(Replica r) {
        if (r.busy || r.state == STARTING || r.state == STOPPED) {
            return;
        }
        GroupState g = groups[r.group];
        boolean flush = r.state == DRAINING;
        double wake = Double.POSITIVE_INFINITY;
        int lanes = r.lanes.length;
        long nowNanos = nanos(now);
        for (int i = 0; i < lanes; i++) {
            int li = (r.nextLane + i) % lanes;
            Lane lane = r.lanes[li];
            DoubleQueue q = lane.queue;
            if (q.isEmpty()) {
                continue;
            }
            laneQueue.of(q, g.budgetNanos[li], g.spec.formation().deadlines());
            BatchFormation.decide(laneQueue, nowNanos, lane.limits, g.latency[li], true, flush, decision);
            // The lane's queue is uniform: what goes is a prefix, and the batch is the run right behind it.
            int gone = decision.expiredCount() + decision.droppedCount();
            if (gone > 0) {
                ModelState ms = g.memberModel[li];
                trace.dropped(now, r.id, ms.spec.name(), q.peek(), gone);
                for (int k = 0; k < gone; k++) {
                    q.poll();
                }
                g.windowDropped += gone;
                g.changeInSystem(now, -gone);
                ms.drop(gone);
            }
            if (decision.dispatch()) {
                r.nextLane = (li + 1) % lanes;
                startBatch(r, g, li, decision.batchSize());
                return;
            }
            if (decision.wakeAtNanos() != Long.MAX_VALUE) {
                wake = Math.min(wake, decision.wakeAtNanos() / 1e9);
            }
        }
        if (flush && !r.hasQueued()) {
            stop(r);
            return;
        }
        if (wake < r.timerAt) {
            r.timerAt = wake;
            events.push(wake, ((long) r.id << KIND_BITS) | TIMER);
        }
    }

    /**
     * Simulated seconds as the batch rule's nanoseconds. Rounded, so that a wake-up time handed back in nanoseconds
     * (divided by 1e9 for the event queue) converts back to exactly the same nanosecond when its timer fires.
     */
    static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    /** One replica's queue for one model as the batch rule reads it: arrival times, one deadline budget. */
    private static final class LaneQueue implements BatchQueue {
        private DoubleQueue queue;
        private long budgetNanos;
        private boolean deadlines;

        void of(DoubleQueue q, long budget, boolean withDeadlines) {
            this.queue = q;
            this.budgetNanos = budget;
            this.deadlines = withDeadlines;
        }

        @Override
        public int size() {
            return queue.size();
        }

        @Override
        public long enqueuedAtNanos(int i) {
            return nanos(queue.get(i));
        }

        @Override
        public long deadlineNanos(int i) {
            return deadlines ? nanos(queue.get(i)) + budgetNanos : Long.MAX_VALUE;
        }

        @Override
        public int batchCount(int i) {
            return 1;
        }

        @Override
        public double costScale(int i) {
            return 1.0;
        }

        @Override
        public boolean compatible(int i, int j) {
            return true;
        }

        @Override
        public boolean uniform() {
            return true;
        }
    }

    private void startBatch(Replica r, GroupState g, int li, int n) {
        ModelState ms = g.memberModel[li];
        double execMs = g.serviceTime[li].sampleMs(n, serviceRng);
        double finish = now + execMs / 1000;
        double rtt = g.rtt;
        DoubleQueue q = r.lanes[li].queue;
        trace.batch(now, r.id, ms.spec.name(), q.peek(), n);
        for (int i = 0; i < n; i++) {
            double hops = overhead.none() ? 0 : overhead.sampleMs(overheadRng) / 1000;
            ms.complete(finish - q.poll() + rtt + hops);
        }
        ms.batchSizes[n]++;
        g.executing += n;
        r.busy = true;
        r.runningLane = li;
        r.runningSize = n;
        r.runningStart = now;
        r.runningMs = execMs;
        events.push(finish, ((long) r.id << KIND_BITS) | DONE);
    }

    private void onTimer(Replica r) {
        if (now == r.timerAt) {
            r.timerAt = Double.POSITIVE_INFINITY;
        }
        tryStart(r);
    }

    private void onDone(Replica r) {
        GroupState g = groups[r.group];
        int li = r.runningLane;
        g.busyWindow += now - Math.max(r.runningStart, lastTick);
        g.busyTotal += Math.max(0, Math.min(now, duration) - Math.min(r.runningStart, duration));
        g.windowCompleted += r.runningSize;
        g.executing -= r.runningSize;
        g.changeInSystem(now, -r.runningSize);
        r.busy = false;
        Lane lane = r.lanes[li];
        GroupMember member = g.spec.members().get(li);
        lane.setCap(Math.max(1, Math.min(member.batch(),
                g.sizing[li].afterBatch(lane.cap, r.runningSize, r.runningMs, g.budget[li] * 1000, member.batch()))),
                g.limits[li]);
        tryStart(r);
    }

    // ---- replica lifecycle and scaling ----

    private Replica newReplica(GroupState g) {
        Replica r = new Replica(replicas.size(), g.index, g.spec.members().size());
        for (int k = 0; k < r.lanes.length; k++) {
            r.lanes[k].setCap(Math.max(1, Math.min(g.spec.members().get(k).batch(),
                    g.sizing[k].initialCap(g.spec.members().get(k).batch()))), g.limits[k]);
        }
        replicas.add(r);
        g.members.add(r);
        return r;
    }

    private void onReady(Replica r) {
        if (r.state != STARTING) {
            return; // cancelled while starting
        }
        GroupState g = groups[r.group];
        g.accrue(now);
        g.starting--;
        r.state = RUNNING;
        g.addReady(r);
        tryStart(r);
    }

    private void stop(Replica r) {
        GroupState g = groups[r.group];
        g.accrue(now);
        g.paid--;
        if (r.state == DRAINING) {
            g.draining--;
        } else if (r.state == STARTING) {
            g.starting--;
        }
        r.state = STOPPED;
        g.members.remove(r);
    }

    private void apply(ScalingDecision d) {
        if (d.group() < 0 || d.group() >= groups.length) {
            throw new IllegalArgumentException("scaling decision for unknown group " + d.group());
        }
        GroupState g = groups[d.group()];
        int current = g.readyCount + g.starting;
        int target = d.targetReplicas();
        if (target == current) {
            return;
        }
        scalingEvents.add(new ScalingEvent(now, g.index, g.spec.pool(), g.spec.models(), current, target, d.reason()));
        g.accrue(now);
        if (target > current) {
            double startup = g.startupSeconds;
            for (int i = current; i < target; i++) {
                Replica r = newReplica(g);
                g.paid++;
                g.starting++;
                events.push(now + startup, ((long) r.id << KIND_BITS) | READY);
            }
            g.peakReplicas = Math.max(g.peakReplicas, target);
            return;
        }
        int remove = current - target;
        // Newest first: cancel replicas still starting, then drain running ones (they finish their queues).
        for (int i = g.members.size() - 1; i >= 0 && remove > 0; i--) {
            Replica r = g.members.get(i);
            if (r.state == STARTING) {
                stop(r);
                remove--;
            }
        }
        for (int i = g.members.size() - 1; i >= 0 && remove > 0; i--) {
            Replica r = g.members.get(i);
            if (r.state == RUNNING) {
                g.removeReady(r);
                r.state = DRAINING;
                g.draining++;
                remove--;
                if (!r.busy) {
                    tryStart(r);
                }
            }
        }
    }

    private void onTick() {
        tickIndex++;
        List<GroupObservation> groupObs = new ArrayList<>(groups.length);
        for (GroupState g : groups) {
            g.accrue(now);
            g.changeInSystem(now, 0);
            for (Replica r : g.members) {
                if (r.busy) {
                    g.busyWindow += now - Math.max(r.runningStart, lastTick);
                }
            }
            groupObs.add(new GroupObservation(g.index, g.spec.models(), g.readyCount, g.starting, g.draining,
                    g.windowArrivals, g.windowCompleted, g.windowDropped, g.busyWindow, g.availableWindow,
                    g.inSystemIntegral / (now - lastTick), g.inSystem, g.inSystem - g.executing));
            g.resetWindow();
        }
        List<ModelObservation> modelObs = new ArrayList<>(models.length);
        for (ModelState ms : models) {
            modelObs.add(new ModelObservation(ms.spec.name(), ms.windowArrivals, ms.windowWithin, ms.windowLate,
                    ms.windowDropped));
            ms.resetWindow();
        }
        lastTick = now;
        for (ScalingDecision d : policy.onTick(new ControlSnapshot(now, period, groupObs, modelObs))) {
            apply(d);
        }
        double next = (tickIndex + 1) * period;
        if (next <= duration + 1e-9) {
            events.push(next, TICK);
        }
        progress.progress(now, duration, totalRequests);
    }

    // ---- results ----

    private SimResult result() {
        List<ModelResult> modelResults = new ArrayList<>();
        for (ModelState ms : models) {
            List<Long> sizes = new ArrayList<>(ms.batchSizes.length);
            for (long c : ms.batchSizes) {
                sizes.add(c);
            }
            boolean any = ms.completed > 0;
            modelResults.add(new ModelResult(ms.spec.name(), ms.spec.sloMs(), ms.spec.targetAttainment(), ms.requests,
                    ms.completed, ms.within, ms.dropped,
                    any ? ms.minLatency * 1000 : 0,
                    any ? ms.sumLatency / ms.completed * 1000 : 0,
                    any ? ms.histogram.getValueAtPercentile(50) / 1000.0 : 0,
                    any ? ms.histogram.getValueAtPercentile(99) / 1000.0 : 0,
                    any ? ms.maxLatency * 1000 : 0, sizes));
        }
        List<GroupResult> groupResults = new ArrayList<>();
        for (GroupState g : groups) {
            double hours = g.paidSeconds / 3600;
            groupResults.add(new GroupResult(g.index, g.spec.pool(), g.spec.models(), g.spec.costPerHour(), hours,
                    hours * g.spec.costPerHour(), g.initialReplicas, g.readyCount + g.starting, g.peakReplicas,
                    g.availableTotal > 0 ? Math.min(1, g.busyTotal / g.availableTotal) : 0, g.dispatched));
        }
        return new SimResult(label, seed, duration, modelResults, groupResults, scalingEvents);
    }

    // ---- state ----

    private final class ModelState {
        final int index;
        final SimModel spec;
        final ArrivalStream stream;
        final double slo;
        int[] groupOf = new int[0];
        int[] memberOf = new int[0];
        double[] weight = new double[0];
        double[] current = new double[0];
        long requests;
        long completed;
        long within;
        long dropped;
        double sumLatency;
        double minLatency = Double.POSITIVE_INFINITY;
        double maxLatency;
        final Histogram histogram = new Histogram(3);
        final long[] batchSizes;
        long windowArrivals;
        long windowWithin;
        long windowLate;
        long windowDropped;

        ModelState(int index, SimModel spec, SplittableRandom rng) {
            this.index = index;
            this.spec = spec;
            this.stream = spec.arrivals().start(rng);
            this.slo = spec.sloMs() / 1000;
            this.batchSizes = new long[spec.maxBatch() + 1];
        }

        void linkGroups() {
            List<int[]> entries = new ArrayList<>();
            List<Double> weights = new ArrayList<>();
            for (GroupState g : groups) {
                List<GroupMember> members = g.spec.members();
                for (int k = 0; k < members.size(); k++) {
                    if (members.get(k).model().equals(spec.name()) && members.get(k).share() > 0) {
                        entries.add(new int[] {g.index, k});
                        weights.add(members.get(k).share());
                    }
                }
            }
            groupOf = entries.stream().mapToInt(e -> e[0]).toArray();
            memberOf = entries.stream().mapToInt(e -> e[1]).toArray();
            weight = weights.stream().mapToDouble(Double::doubleValue).toArray();
            current = new double[weight.length];
        }

        /**
         * Smooth weighted round robin (as nginx does) over the groups with a ready replica: deterministic, and each
         * group's long-run fraction equals its share among them (Nexus' frontends split by planned throughput).
         */
        int pickGroup() {
            if (groupOf.length == 1) {
                return groups[groupOf[0]].readyCount > 0 ? 0 : -1;
            }
            double total = 0;
            int best = -1;
            for (int e = 0; e < groupOf.length; e++) {
                if (groups[groupOf[e]].readyCount == 0) {
                    continue;
                }
                current[e] += weight[e];
                total += weight[e];
                if (best < 0 || current[e] > current[best]) {
                    best = e;
                }
            }
            if (best >= 0) {
                current[best] -= total;
            }
            return best;
        }

        void complete(double latency) {
            completed++;
            sumLatency += latency;
            if (latency < minLatency) {
                minLatency = latency;
            }
            if (latency > maxLatency) {
                maxLatency = latency;
            }
            // A hair of tolerance so that a latency computed to equal the SLO exactly counts as met.
            if (latency <= slo + 1e-12) {
                within++;
                windowWithin++;
            } else {
                windowLate++;
            }
            histogram.recordValue(Math.max(1, Math.round(latency * 1e6)));
        }

        void drop(int count) {
            dropped += count;
            windowDropped += count;
        }

        void resetWindow() {
            windowArrivals = 0;
            windowWithin = 0;
            windowLate = 0;
            windowDropped = 0;
        }
    }

    private final class GroupState {
        final int index;
        final ReplicaGroup spec;
        final List<Replica> members = new ArrayList<>();
        Replica[] ready = new Replica[8];
        int readyCount;
        int starting;
        int draining;
        int paid;
        int initialReplicas;
        int peakReplicas;
        final double rtt;
        final double startupSeconds;
        final ModelState[] memberModel;
        final BatchLatency[] latency; // by batch size: the mean, as the worker's running estimate tracks it
        final double[] budget;     // SLO − RTT, seconds
        final long[] budgetNanos;
        final BatchFormation.Limits[] limits; // at the member's planned batch
        final BatchSizing[] sizing;
        final ServiceTime[] serviceTime; // per member: its service time on this group's pool
        final int[] rrPosition;
        final int[] fillCount;
        double lastAccrual;
        double paidSeconds;
        double availableWindow;
        double availableTotal;
        double busyWindow;
        double busyTotal;
        int inSystem;
        int executing;
        double inSystemIntegral;
        double lastInSystemChange;
        long windowArrivals;
        long windowCompleted;
        long windowDropped;
        long dispatched;

        GroupState(int index, ReplicaGroup spec) {
            this.index = index;
            this.spec = spec;
            this.rtt = spec.networkRttMs() / 1000;
            int n = spec.members().size();
            memberModel = new ModelState[n];
            latency = new BatchLatency[n];
            budget = new double[n];
            budgetNanos = new long[n];
            limits = new BatchFormation.Limits[n];
            sizing = new BatchSizing[n];
            serviceTime = new ServiceTime[n];
            rrPosition = new int[n];
            fillCount = new int[n];
            double processStart = 0;
            double loads = 0;
            for (int k = 0; k < n; k++) {
                GroupMember member = spec.members().get(k);
                ModelState ms = null;
                for (ModelState candidate : models) {
                    if (candidate.spec.name().equals(member.model())) {
                        ms = candidate;
                    }
                }
                memberModel[k] = ms;
                ServiceTime st = member.serviceTimeOf(ms.spec);
                serviceTime[k] = st;
                long[] estimateNanos = new long[st.maxBatch() + 1];
                for (int b = 1; b <= st.maxBatch(); b++) {
                    estimateNanos[b] = Math.round(st.meanMs(b) * 1e6);
                }
                latency[k] = (size, scale) -> estimateNanos[Math.min(size, estimateNanos.length - 1)];
                budget[k] = ms.slo - rtt;
                budgetNanos[k] = nanos(budget[k]);
                limits[k] = new BatchFormation.Limits(member.batch(), Math.round(member.maxQueueDelayMs() * 1e6),
                        spec.formation().overload());
                sizing[k] = policy.batchSizing(index, member);
                var cold = ms.spec.startup(config.prewarmed());
                // Co-located models share one process start; each loads and warms its own session.
                processStart = Math.max(processStart, cold.processStartMs());
                loads += cold.sessionCreateMs() + cold.firstInferenceMs() + cold.warmupMs();
            }
            startupSeconds = (processStart + loads) / 1000;
        }

        /** Integrates paid and available replica time up to {@code t}, clipped to the run's duration. */
        void accrue(double t) {
            double from = Math.min(lastAccrual, duration);
            double to = Math.min(t, duration);
            if (to > from) {
                paidSeconds += paid * (to - from);
                double available = (readyCount + draining) * (to - from);
                availableWindow += available;
                availableTotal += available;
            }
            lastAccrual = Math.max(lastAccrual, t);
        }

        void changeInSystem(double t, int delta) {
            inSystemIntegral += inSystem * (t - lastInSystemChange);
            lastInSystemChange = t;
            inSystem += delta;
        }

        void resetWindow() {
            availableWindow = 0;
            busyWindow = 0;
            inSystemIntegral = 0;
            windowArrivals = 0;
            windowCompleted = 0;
            windowDropped = 0;
        }

        void addReady(Replica r) {
            if (readyCount == ready.length) {
                ready = Arrays.copyOf(ready, readyCount * 2);
            }
            ready[readyCount++] = r;
        }

        void removeReady(Replica r) {
            accrue(now);
            for (int i = 0; i < readyCount; i++) {
                if (ready[i] == r) {
                    System.arraycopy(ready, i + 1, ready, i, readyCount - i - 1);
                    ready[--readyCount] = null;
                    return;
                }
            }
        }

        Replica pickReplica(int member) {
            int pos = rrPosition[member] % readyCount;
            if (spec.dispatch() == SimDispatch.ROUND_ROBIN) {
                rrPosition[member] = (pos + 1) % readyCount;
                return ready[pos];
            }
            // Batch-aware: keep sending to one replica until it has been sent a full batch, then move on.
            if (fillCount[member] >= ready[pos].lanes[member].cap) {
                pos = (pos + 1) % readyCount;
                fillCount[member] = 0;
            }
            rrPosition[member] = pos;
            fillCount[member]++;
            return ready[pos];
        }
    }

    private static final class Replica {
        final int id;
        final int group;
        final Lane[] lanes;
        int state = STARTING;
        boolean busy;
        double timerAt = Double.POSITIVE_INFINITY;
        int nextLane;
        int runningLane;
        int runningSize;
        double runningStart;
        double runningMs;

        Replica(int id, int group, int members) {
            this.id = id;
            this.group = group;
            this.lanes = new Lane[members];
            for (int k = 0; k < members; k++) {
                lanes[k] = new Lane();
            }
        }

        boolean hasQueued() {
            for (Lane lane : lanes) {
                if (!lane.queue.isEmpty()) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Lane {
        final DoubleQueue queue = new DoubleQueue();
        int cap;
        BatchFormation.Limits limits;

        /** The batch cap (fixed, or Clipper's AIMD cap) and the batcher's limits at that cap. */
        void setCap(int newCap, BatchFormation.Limits planned) {
            if (limits == null || newCap != cap) {
                cap = newCap;
                limits = planned.withMaxBatch(newCap);
            }
        }
    }
}
