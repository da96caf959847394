package dev.stratus.operator.adapter;

import dev.stratus.core.autoscaling.ScalingEvent;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.GroupTarget;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.port.Clock;
import dev.stratus.core.port.WorkerFleet;
import dev.stratus.operator.Labels;
import dev.stratus.operator.WorkloadSettings;
import dev.stratus.operator.adapter.WorkerPods.GroupShape;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The Kubernetes backend of the {@link WorkerFleet} port: every replica is a pod the operator manages directly
 * (no Deployment), so that it decides which pod does what. Each pass lists the group's pods and converges on the
 * target: promotes warm standbys by flipping their {@code stratus.dev/role} label to {@code serving} (the gateways
 * route by that label; the pod is not restarted), creates pods for what the pool cannot cover and to refill it,
 * takes standbys first on scale-down and drains a serving pod by marking it {@code draining} (gateways stop
 * routing it) before deleting it (the worker finishes its queue within the grace period), and replaces pods of a
 * group whose shape changed. Owner references on every pod and Service make deletion cascade in a real cluster;
 * the operator also deletes what it no longer wants itself. Every action is a {@link ScalingEvent}.
 */
public final class KubernetesWorkerFleet implements WorkerFleet {
    private static final Logger LOG = Logger.getLogger(KubernetesWorkerFleet.class);
    static final long PASS_MILLIS = 1000;

    /** What the fleet needs to know of a group's models beyond the target: its pool, sources and owners. */
    public interface Shapes {
        Optional<GroupShape> shape(dev.stratus.core.model.fleet.WorkerGroupSpec spec);

        List<OwnerReference> owners(List<String> models);
    }

    private final KubernetesClient client;
    private final WorkloadSettings settings;
    private final Shapes shapes;
    private final Consumer<ScalingEvent> events;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("kubernetes-fleet").daemon(true).unstarted(r));
    private volatile FleetTarget target = FleetTarget.EMPTY;
    private volatile List<Replica> snapshot = List.of();
    private volatile Map<String, Pod> pods = Map.of();
    private volatile boolean started;
    /** False until the control loop stated a target: a new leader observes (adopts) its pods, drains nothing. */
    private volatile boolean targetKnown;

    public KubernetesWorkerFleet(KubernetesClient client, WorkloadSettings settings, Shapes shapes,
            Consumer<ScalingEvent> events, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.shapes = shapes;
        this.events = events;
        this.clock = clock;
    }

    /** Starts the passes (the operator calls this once it leads). Until then the fleet only remembers targets. */
    public void start() {
        if (!started) {
            started = true;
            loop.scheduleWithFixedDelay(this::passSafely, 0, PASS_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void apply(FleetTarget next) {
        target = next;
        targetKnown = true;
        if (started) {
            loop.execute(this::passSafely);
        }
    }

    public FleetTarget target() {
        return target;
    }

    @Override
    public List<Replica> replicas() {
        return snapshot;
    }

    /** The pods of the last pass, by name (for status: why a model's pods do not start). */
    public Map<String, Pod> pods() {
        return pods;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Runs one pass now and waits for it (tests and the first pass after adoption). */
    public void passNow() {
        try {
            loop.submit(this::passSafely).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fleet pass failed: " + e.getMessage(), e);
        }
    }

    private void passSafely() {
        try {
            pass();
        } catch (KubernetesClientException e) {
            LOG.warnf("fleet pass: the API refused a change (%s); the next pass retries", e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "fleet pass failed; the next pass retries");
        }
    }

    private void pass() {
        List<Pod> all = client.pods().inNamespace(settings.namespace()).withLabel(Labels.MANAGED_BY, Labels.MANAGER)
                .withLabel(Labels.COMPONENT, "worker").list().getItems();
        if (!targetKnown) {
            publish(all);
            return;
        }
        Map<String, List<Pod>> byGroup = new LinkedHashMap<>();
        for (Pod p : all) {
            byGroup.computeIfAbsent(groupId(p), k -> new ArrayList<>()).add(p);
        }
        Map<String, GroupTarget> wanted = new LinkedHashMap<>();
        target.groups().forEach(g -> wanted.put(g.spec().groupId(), g));
        for (Map.Entry<String, List<Pod>> e : byGroup.entrySet()) {
            if (!wanted.containsKey(e.getKey())) {
                for (Pod p : e.getValue()) {
                    if (!terminating(p)) {
                        drain(p, "group " + e.getKey() + " is no longer planned");
                    }
                }
                deleteService(e.getValue());
            }
        }
        for (GroupTarget g : wanted.values()) {
            shapes.shape(g.spec()).ifPresentOrElse(shape -> converge(g, shape, byGroup.getOrDefault(
                    g.spec().groupId(), List.of())), () -> LOG.debugf("group %s: its resources are not known yet",
                    g.spec().groupId()));
        }
        List<Pod> after = client.pods().inNamespace(settings.namespace()).withLabel(Labels.MANAGED_BY, Labels.MANAGER)
                .withLabel(Labels.COMPONENT, "worker").list().getItems();
        publish(after);
    }

    private void converge(GroupTarget g, GroupShape shape, List<Pod> existing) {
        String id = g.spec().groupId();
        String hash = shape.specHash();
        List<OwnerReference> owners = shapes.owners(g.spec().models());
        ensureService(shape, owners);
        List<Pod> serving = new ArrayList<>();
        List<Pod> standby = new ArrayList<>();
        for (Pod p : existing) {
            if (terminating(p)) {
                continue;
            }
            if (!hash.equals(label(p, Labels.SPEC_HASH))) {
                drain(p, "group " + id + " was re-planned with a new shape");
            } else if (Labels.SERVING.equals(label(p, Labels.ROLE))) {
                serving.add(p);
            } else {
                standby.add(p);
            }
        }
        int servingBefore = serving.size();
        // More must serve: ready standbys first (no cold start), then standbys still warming, then new pods.
        standby.sort(Comparator.comparing((Pod p) -> !ready(p)).thenComparing(p -> p.getMetadata().getName()));
        int promoted = 0;
        while (serving.size() < g.serving() && !standby.isEmpty()) {
            Pod p = standby.remove(0);
            setRole(p, Labels.SERVING);
            serving.add(p);
            promoted++;
        }
        if (promoted > 0) {
            event(id, ScalingEvent.Kind.PROMOTE_WARM, servingBefore, servingBefore + promoted, promoted
                    + " standby pod(s) relabelled serving, no restart; target " + g.serving());
        }
        int cold = 0;
        while (serving.size() < g.serving()) {
            serving.add(create(shape, Labels.SERVING, owners));
            cold++;
        }
        if (cold > 0) {
            event(id, ScalingEvent.Kind.START_COLD, servingBefore + promoted, g.serving(), cold
                    + " pod(s) created to serve: the warm pool had " + promoted + " for a target of " + g.serving());
        }
        // Fewer must serve: the newest go back to the pool while it is short, the rest drain.
        serving.sort(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp(),
                Comparator.nullsLast(Comparator.reverseOrder())));
        while (serving.size() > g.serving()) {
            Pod p = serving.remove(0);
            if (standby.size() < g.standby() && ready(p)) {
                setRole(p, Labels.STANDBY);
                standby.add(p);
                event(id, ScalingEvent.Kind.DEMOTE_WARM, serving.size() + 1, serving.size(), "pod "
                        + p.getMetadata().getName() + " leaves routing and waits in the warm pool");
            } else {
                drain(p, "scale down to " + g.serving() + " serving pod(s)");
            }
        }
        int refill = 0;
        while (standby.size() < g.standby()) {
            standby.add(create(shape, Labels.STANDBY, owners));
            refill++;
        }
        if (refill > 0) {
            event(id, ScalingEvent.Kind.REFILL_WARM, standby.size() - refill, standby.size(), refill
                    + " standby pod(s) created toward a warm pool of " + g.standby());
        }
        // Surplus standbys: those still warming first (they cost the least to lose), then the newest.
        standby.sort(Comparator.comparing(KubernetesWorkerFleet::ready).thenComparing(
                (Pod p) -> p.getMetadata().getCreationTimestamp(), Comparator.nullsLast(Comparator.reverseOrder())));
        while (standby.size() > g.standby()) {
            drain(standby.remove(0), "warm pool above its target of " + g.standby());
        }
    }

    private Pod create(GroupShape shape, String role, List<OwnerReference> owners) {
        String name = shape.label() + "-" + suffix();
        Pod pod = client.pods().inNamespace(settings.namespace()).resource(WorkerPods.pod(shape, name, role, owners))
                .create();
        LOG.infof("pod %s created (%s) for group %s", name, role, shape.spec().groupId());
        return pod;
    }

    private void ensureService(GroupShape shape, List<OwnerReference> owners) {
        Service desired = WorkerPods.service(shape, owners);
        Service current = client.services().inNamespace(settings.namespace()).withName(desired.getMetadata().getName())
                .get();
        if (current == null) {
            client.services().inNamespace(settings.namespace()).resource(desired).create();
        }
    }

    private void deleteService(List<Pod> groupPods) {
        groupPods.stream().findFirst().ifPresent(p -> {
            String name = "stratus-w-" + label(p, Labels.GROUP);
            client.services().inNamespace(settings.namespace()).withName(name).delete();
        });
    }

    private void setRole(Pod p, String role) {
        client.pods().inNamespace(settings.namespace()).withName(p.getMetadata().getName())
                .edit(x -> {
                    x.getMetadata().getLabels().put(Labels.ROLE, role);
                    return x;
                });
        p.getMetadata().getLabels().put(Labels.ROLE, role);
    }

    /** Out of routing first (the label), then deleted: SIGTERM after the preStop pause, the worker drains. */
    private void drain(Pod p, String reason) {
        String name = p.getMetadata().getName();
        if (!Labels.DRAINING.equals(label(p, Labels.ROLE))) {
            setRole(p, Labels.DRAINING);
        }
        client.pods().inNamespace(settings.namespace()).withName(name)
                .withGracePeriod(settings.drainSeconds() + 10L).delete();
        event(groupId(p), ScalingEvent.Kind.DRAIN, 1, 0, "pod " + name + " drains: " + reason);
    }

    private void publish(List<Pod> current) {
        Map<String, Pod> byName = new LinkedHashMap<>();
        List<Replica> next = new ArrayList<>();
        current.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        for (Pod p : current) {
            byName.put(p.getMetadata().getName(), p);
            next.add(new Replica(p.getMetadata().getName(), groupId(p),
                    p.getStatus() == null || p.getStatus().getPodIP() == null ? "" : p.getStatus().getPodIP(),
                    WorkloadSettings.WORKER_PORT, state(p), List.of(annotation(p, Labels.MODELS).split(",")),
                    millis(p.getMetadata().getCreationTimestamp()), readyAt(p)));
        }
        pods = Map.copyOf(byName);
        if (!next.equals(snapshot)) {
            snapshot = List.copyOf(next);
            listeners.forEach(Runnable::run);
        }
    }

    static ReplicaState state(Pod p) {
        if (terminating(p) || Labels.DRAINING.equals(label(p, Labels.ROLE))) {
            return ReplicaState.DRAINING;
        }
        if (p.getStatus() != null && "Failed".equals(p.getStatus().getPhase())) {
            return ReplicaState.FAILED;
        }
        if (!ready(p)) {
            return ReplicaState.STARTING;
        }
        return Labels.SERVING.equals(label(p, Labels.ROLE)) ? ReplicaState.SERVING : ReplicaState.STANDBY;
    }

    static boolean ready(Pod p) {
        return readyCondition(p).map(c -> "True".equals(c.getStatus())).orElse(false)
                && p.getStatus().getPodIP() != null;
    }

    private static Optional<PodCondition> readyCondition(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    private static long readyAt(Pod p) {
        return ready(p) ? readyCondition(p).map(c -> millis(c.getLastTransitionTime())).orElse(0L) : 0L;
    }

    private static long millis(String timestamp) {
        try {
            return timestamp == null ? 0 : Instant.parse(timestamp).toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static boolean terminating(Pod p) {
        return p.getMetadata().getDeletionTimestamp() != null;
    }

    static String groupId(Pod p) {
        return annotation(p, Labels.GROUP_ID);
    }

    private static String label(Pod p, String key) {
        Map<String, String> labels = p.getMetadata().getLabels();
        return labels == null ? "" : labels.getOrDefault(key, "");
    }

    private static String annotation(Pod p, String key) {
        Map<String, String> a = p.getMetadata().getAnnotations();
        return a == null ? "" : a.getOrDefault(key, "");
    }

    private static String suffix() {
        String chars = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            s.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
        }
        return s.toString();
    }

    private void event(String group, ScalingEvent.Kind kind, int from, int to, String reason) {
        LOG.infof("%s %s: %s", group, kind, reason);
        events.accept(new ScalingEvent(clock.millis(), group, kind, from, to, reason));
    }

    /** Stops the passes; the pods stay (a new leader adopts them). */
    @Override
    public void close() {
        loop.shutdownNow();
    }
}
