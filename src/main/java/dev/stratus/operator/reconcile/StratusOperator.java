package dev.stratus.operator.reconcile;

import dev.stratus.catalog.ModelCatalog;
import dev.stratus.control.ControlService;
import dev.stratus.control.driver.ServiceDriver;
import dev.stratus.control.driver.ServiceDriver.Outcome;
import dev.stratus.control.driver.ServiceDriver.State;
import dev.stratus.control.driver.ServiceDriver.Verdict;
import dev.stratus.control.io.ResourceReader.Resource;
import dev.stratus.control.status.StatusAggregator;
import dev.stratus.control.status.StatusAggregator.ReplicaProblem;
import dev.stratus.control.status.TrafficWindow;
import dev.stratus.core.autoscaling.EventLog;
import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.ModelRoute;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.RouteTarget;
import dev.stratus.core.model.fleet.RoutingTable;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.Clock;
import dev.stratus.core.port.EventSink;
import dev.stratus.core.port.FleetObserver;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.core.slo.SloTarget;
import dev.stratus.operator.Labels;
import dev.stratus.control.RoutingBuilder;
import dev.stratus.operator.RulePublishing;
import dev.stratus.operator.SiteGatewaySettings;
import dev.stratus.operator.WorkloadSettings;
import dev.stratus.operator.adapter.KubernetesEventSink;
import dev.stratus.operator.adapter.KubernetesProfileStore;
import dev.stratus.operator.adapter.KubernetesWorkerFleet;
import dev.stratus.operator.adapter.ProfileJobs;
import dev.stratus.operator.adapter.SiteGatewayDeployments;
import dev.stratus.operator.adapter.SiteGatewayObjects;
import dev.stratus.operator.adapter.PrometheusRulePublisher;
import dev.stratus.operator.adapter.WorkerPods.GroupShape;
import dev.stratus.operator.crd.AcceleratorPool;
import dev.stratus.operator.crd.InferenceModel;
import dev.stratus.operator.crd.InferencePipeline;
import dev.stratus.profiles.LayeredProfileStore;
import dev.stratus.resource.AcceleratorPoolSpec;
import dev.stratus.resource.AcceleratorPoolStatus;
import dev.stratus.resource.InferenceModelSpec;
import dev.stratus.resource.InferenceModelStatus;
import dev.stratus.resource.InferencePipelineStatus;
import dev.stratus.resource.Kinds;
import dev.stratus.resource.ModelRouting;
import dev.stratus.resource.ResourceSpec;
import dev.stratus.resource.RouteGroup;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The operator's side of the control loop: it turns the custom resources into the loop's desired state (through
 * the same {@link ServiceDriver} and resource types as local mode), wires the loop's ports to the cluster (pods,
 * Events, ConfigMap profiles, profiling Jobs, the gateways' traffic) and maps the status aggregator's results onto
 * the resources. It decides nothing itself: planning, scaling and the warm pool are the control loop's.
 */
public final class StratusOperator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StratusOperator.class);
    /** How often every status is recomputed (written only if it changed), and the desired state re-checked. */
    static final long REFRESH_MILLIS = 5000;

    private final KubernetesClient client;
    private final WorkloadSettings settings;
    private final Clock clock;
    private final KubernetesProfileStore clusterProfiles;
    private final ProfileStore profiles;
    private final ProfileJobs jobs;
    private final KubernetesWorkerFleet fleet;
    private final TrafficWindow traffic;
    private final EventLog history = new EventLog();
    private final AtomicReference<RoutingTable> routes = new AtomicReference<>(RoutingTable.EMPTY);
    private final ServiceDriver driver;
    private final ClusterState state;
    private final ModelCatalog catalog;
    private final Optional<PrometheusRulePublisher> rules;
    private final java.util.Set<String> reportedRuleProblems = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final SiteGatewayDeployments sites;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("stratus-operator").daemon(true).unstarted(r));
    final SimpleInboundEventSource<InferenceModel> modelEvents = new SimpleInboundEventSource<>("stratus-models");
    final SimpleInboundEventSource<AcceleratorPool> poolEvents = new SimpleInboundEventSource<>("stratus-pools");
    final SimpleInboundEventSource<InferencePipeline> pipelineEvents =
            new SimpleInboundEventSource<>("stratus-pipelines");
    private volatile Outcome outcome = new Outcome(Map.of(), Optional.empty());
    private volatile Map<String, Verdict> unreadable = Map.of();
    private volatile boolean active;
    private volatile boolean synced;
    private volatile String lastInput = "";

    /**
     * @param shipped  profiles shipped with the application (files), under those measured in the cluster
     * @param observer where the loop observes traffic (the gateways in the cluster)
     */
    public StratusOperator(KubernetesClient client, WorkloadSettings settings, ProfileStore shipped,
            FleetObserver observer, Clock clock, ControlService.Settings loopSettings) {
        this(client, settings, shipped, observer, clock, loopSettings, ModelCatalog.bundled());
    }

    /** @param catalog the models the workers can serve (the image's catalog) */
    public StratusOperator(KubernetesClient client, WorkloadSettings settings, ProfileStore shipped,
            FleetObserver observer, Clock clock, ControlService.Settings loopSettings, ModelCatalog catalog) {
        this(client, settings, shipped, observer, clock, loopSettings, catalog, RulePublishing.OFF);
    }

    /** @param publishing whether the served models' SLO rules are published as a PrometheusRule */
    public StratusOperator(KubernetesClient client, WorkloadSettings settings, ProfileStore shipped,
            FleetObserver observer, Clock clock, ControlService.Settings loopSettings, ModelCatalog catalog,
            RulePublishing publishing) {
        this(client, settings, shipped, observer, clock, loopSettings, catalog, publishing,
                SiteGatewaySettings.defaults(settings.namespace()));
    }

    /** @param siteGateways how the edge sites' gateways are shaped (as the release's main gateway) */
    public StratusOperator(KubernetesClient client, WorkloadSettings settings, ProfileStore shipped,
            FleetObserver observer, Clock clock, ControlService.Settings loopSettings, ModelCatalog catalog,
            RulePublishing publishing, SiteGatewaySettings siteGateways) {
        this.catalog = catalog;
        this.rules = publishing.enabled() ? Optional.of(new PrometheusRulePublisher(client, settings.namespace(),
                publishing.labels(), clock)) : Optional.empty();
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.clusterProfiles = new KubernetesProfileStore(client, settings.namespace()).watch();
        this.profiles = new LayeredProfileStore(clusterProfiles, shipped);
        this.jobs = new ProfileJobs(client, settings);
        this.state = new ClusterState(client, settings.namespace(), this::syncSoon);
        EventSink events = EventSink.all(history::record, new KubernetesEventSink(client, settings.namespace(),
                name -> state.model(name).map(m -> (HasMetadata) m)));
        this.fleet = new KubernetesWorkerFleet(client, settings, new Shapes(), events::record, clock);
        this.traffic = new TrafficWindow(observer, clock, StatusAggregator.OBSERVATION_PERIOD_MILLIS);
        this.driver = new ServiceDriver(profiles, new ControlService.Ports(fleet, traffic, this::publish, events,
                history, clock), loopSettings, this::requestProfile, catalog);
        fleet.onChange(this::refreshAll);
        clusterProfiles.onChange(this::syncSoon);
        this.sites = new SiteGatewayDeployments(client, settings, siteGateways, this::refreshAll);
    }

    /** The loop's routing table: kept for the models' routing facts, which the gateways read from the status. */
    private void publish(RoutingTable table) {
        if (!table.equals(routes.getAndSet(table))) {
            refreshAll();
        }
    }

    /** This replica leads: it starts acting (fleet passes, planning, periodic refresh). */
    public void activate() {
        if (active) {
            return;
        }
        active = true;
        LOG.info("leading: adopting existing worker pods and planning the resources");
        fleet.start();
        fleet.passNow(); // the pods as they are, before anything is planned: statuses start from what runs
        loop.scheduleWithFixedDelay(() -> {
            syncNow(true);
            refreshAll();
            publishRules();
        }, 0, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    public boolean active() {
        return active;
    }

    /** Whether statuses can be computed: this replica leads and has planned the resources once. */
    boolean synced() {
        return synced;
    }

    public KubernetesWorkerFleet fleet() {
        return fleet;
    }

    public ServiceDriver driver() {
        return driver;
    }

    public EventLog history() {
        return history;
    }

    private void syncSoon() {
        if (active) {
            loop.execute(() -> syncNow(false));
        }
    }

    /** Brings the control loop's desired state in line with the resources; cheap when nothing changed. */
    synchronized Outcome syncNow(boolean force) {
        if (!active) {
            return outcome;
        }
        try {
            List<Resource> resources = new ArrayList<>();
            Map<String, Verdict> bad = new LinkedHashMap<>();
            state.pools().forEach(p -> add(resources, bad, Kinds.POOL, p, p.getSpec()));
            state.models().forEach(m -> add(resources, bad, Kinds.MODEL, m, m.getSpec()));
            state.pipelines().forEach(p -> add(resources, bad, Kinds.PIPELINE, p, p.getSpec()));
            String input = resources + "|" + profiles.models() + "|" + clusterProfiles.models();
            if (!force && input.equals(lastInput)) {
                return outcome;
            }
            Outcome next = driver.apply(resources, "resources changed");
            lastInput = input;
            boolean changed = !next.equals(outcome) || !bad.equals(unreadable);
            outcome = next;
            unreadable = Map.copyOf(bad);
            synced = true;
            reconcileSiteGateways();
            if (changed) {
                refreshAll();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot bring the control loop in line with the resources; retrying in %d ms",
                    REFRESH_MILLIS);
        }
        return outcome;
    }

    /**
     * One gateway per edge site named by an accepted pool, placed on that pool's nodes, forwarding to the cloud
     * gateway with the planned round trip (the rule the gateways' routing table uses).
     */
    private void reconcileSiteGateways() {
        try {
            Map<String, AcceleratorPoolSpec> accepted = new LinkedHashMap<>();
            for (Pool p : pools()) {
                state.pool(p.name()).filter(cr -> cr.getSpec() != null).ifPresent(cr -> accepted.put(p.name(),
                        cr.getSpec()));
            }
            sites.reconcile(SiteGatewayObjects.desired(accepted, RoutingBuilder.cloudRttMs(pools())),
                    this::poolOwners);
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot bring the edge sites' gateways in line with the pools; retrying in %d ms",
                    REFRESH_MILLIS);
        }
    }

    /**
     * The SLO rules of the models the control loop serves, as {@code ./stratus rules} makes them from the same
     * resources; published from the periodic refresh only, so that a burst of resource changes makes one write.
     */
    private void publishRules() {
        if (rules.isEmpty()) {
            return;
        }
        try {
            List<SloTarget> targets = sloTargets();
            rules.get().publish(targets, owners(targets.stream().map(SloTarget::model).toList()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot publish the SLO rules; retrying in %d ms", REFRESH_MILLIS);
        }
    }

    /** Every served model with an SLO of its own; one whose SLO leaves no error budget has no rules (logged once). */
    List<SloTarget> sloTargets() {
        List<SloTarget> targets = new ArrayList<>();
        for (var m : outcome.spec().map(s -> s.request().models()).orElse(List.of())) {
            try {
                targets.addAll(SloTarget.of(List.of(m)));
            } catch (IllegalArgumentException e) {
                if (reportedRuleProblems.add(e.getMessage())) {
                    LOG.warnf("no SLO rules for %s: %s", m.name(), e.getMessage());
                }
            }
        }
        return targets;
    }

    private static void add(List<Resource> resources, Map<String, Verdict> bad, String kind, HasMetadata cr,
            ResourceSpec spec) {
        String name = cr.getMetadata().getName();
        if (spec == null) {
            bad.put(kind + "/" + name, new Verdict(kind, name, State.REJECTED, "InvalidSpec",
                    "namespace " + cr.getMetadata().getNamespace() + " " + kind + " '" + name + "': spec must be set"));
            return;
        }
        resources.add(new Resource(kind, name, spec, "namespace " + cr.getMetadata().getNamespace()));
    }

    /** Asks every reconciler to recompute its resources' statuses (each writes only if its status changed). */
    void refreshAll() {
        state.models().forEach(m -> modelEvents.propagateEvent(ResourceID.fromResource(m)));
        state.pools().forEach(p -> poolEvents.propagateEvent(ResourceID.fromResource(p)));
        state.pipelines().forEach(p -> pipelineEvents.propagateEvent(ResourceID.fromResource(p)));
    }

    private Verdict verdict(String kind, String name) {
        Verdict v = unreadable.get(kind + "/" + name);
        if (v != null) {
            return v;
        }
        return outcome.verdict(kind, name).orElse(new Verdict(kind, name, State.WAITING_FOR_PROFILE, "Pending",
                "the operator has not examined it yet"));
    }

    private Optional<Plan> plan() {
        return driver.control().map(ControlService::plan);
    }

    private FleetTarget target() {
        return driver.control().isPresent() ? fleet.target() : FleetTarget.EMPTY;
    }

    private List<Pool> pools() {
        return outcome.spec().map(s -> s.request().pools()).orElse(List.of());
    }

    public InferenceModelStatus modelStatus(InferenceModel m) {
        String name = m.getMetadata().getName();
        Verdict v = verdict(Kinds.MODEL, name);
        List<Profile> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, AcceleratorPoolSpec> p : allowedPools(m).entrySet()) {
            String hw = p.getValue().hardwareId();
            Optional<Profile> profile = profiles.find(name, hw);
            if (profile.isPresent()) {
                if (found.stream().noneMatch(f -> f.hardwareId().equals(hw))) {
                    found.add(profile.get());
                }
            } else if (!missing.contains(hw)) {
                missing.add(hw);
                Optional<String> failed = jobs.failure(name, hw);
                if (failed.isPresent() && v.state() == State.WAITING_FOR_PROFILE) {
                    v = new Verdict(Kinds.MODEL, name, State.REJECTED, "ProfileJobFailed", failed.get());
                }
            }
        }
        List<Replica> replicas = fleet.replicas();
        double attainment = m.getSpec() != null && m.getSpec().slo() != null
                && m.getSpec().slo().targetAttainment() != null ? m.getSpec().slo().targetAttainment() : 0.99;
        return StatusAggregator.model(new StatusAggregator.ModelInputs(name, generation(m), m.getStatus(),
                clock.millis(), v, found, missing, plan(), pools(), target(), replicas, problem(name),
                traffic.window(name), attainment, routing(name)));
    }

    public AcceleratorPoolStatus poolStatus(AcceleratorPool p) {
        String name = p.getMetadata().getName();
        Verdict v = verdict(Kinds.POOL, name);
        Optional<Pool> accepted = pools().stream().filter(x -> x.name().equals(name)).findFirst();
        // An edge pool at a site reports its site's gateway: made once the pool is accepted.
        Optional<StatusAggregator.PoolFact> siteGateway = SiteGatewayObjects.siteOf(p.getSpec()).map(site -> {
            if (accepted.isEmpty()) {
                return new StatusAggregator.PoolFact(false, "PoolNotAccepted", "the gateway of edge site '" + site
                        + "' is made once the pool is accepted");
            }
            SiteGatewayDeployments.State s = sites.state(site);
            return new StatusAggregator.PoolFact(s.ready(), s.reason(), s.message());
        });
        return StatusAggregator.pool(name, generation(p), p.getStatus(), clock.millis(), v, accepted, target(),
                p.getSpec() == null ? null : p.getSpec().maxReplicas(), siteGateway);
    }

    public InferencePipelineStatus pipelineStatus(InferencePipeline p) {
        String name = p.getMetadata().getName();
        Map<String, Boolean> stages = new LinkedHashMap<>();
        if (p.getSpec() != null && p.getSpec().stages() != null) {
            for (String s : p.getSpec().stages()) {
                stages.put(s, state.model(s).map(m -> m.getStatus() != null && m.getStatus().conditions().stream()
                        .anyMatch(c -> c.type().equals(StatusAggregator.READY) && c.isTrue())).orElse(false));
            }
        }
        return StatusAggregator.pipeline(name, generation(p), p.getStatus(), clock.millis(),
                verdict(Kinds.PIPELINE, name), plan(), stages);
    }

    private static long generation(HasMetadata r) {
        return r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
    }

    private Map<String, AcceleratorPoolSpec> allowedPools(InferenceModel m) {
        List<String> allowed = m.getSpec() == null || m.getSpec().allowedPools() == null ? List.of()
                : m.getSpec().allowedPools();
        Map<String, AcceleratorPoolSpec> out = new LinkedHashMap<>();
        for (AcceleratorPool p : state.pools()) {
            if (p.getSpec() != null && (allowed.isEmpty() || allowed.contains(p.getMetadata().getName()))) {
                out.put(p.getMetadata().getName(), p.getSpec());
            }
        }
        return out;
    }

    /** What the gateways need: the model's SLO, dispatch and, per group serving it, batch and batch latency. */
    private Optional<ModelRouting> routing(String model) {
        Optional<ModelRoute> route = routes.get().route(model);
        if (route.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> groupOf = new LinkedHashMap<>();
        fleet.replicas().forEach(r -> groupOf.put(r.id(), r.groupId()));
        Map<String, RouteGroup> groups = new LinkedHashMap<>();
        for (RouteTarget t : route.get().targets()) {
            String group = groupOf.get(t.replicaId());
            if (group != null) {
                groups.putIfAbsent(group, new RouteGroup(group, Labels.dnsName("", group, 40), t.batch(),
                        round(t.meanBatchMs()), round(t.batchLatencyMs())));
            }
        }
        return Optional.of(new ModelRouting(route.get().sloMs(), route.get().dispatch().name(),
                new ArrayList<>(groups.values())));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Why a model's pods do not come up, from their container statuses (as the kubelet reports them). */
    private Optional<ReplicaProblem> problem(String model) {
        for (Pod p : fleet.pods().values()) {
            String models = p.getMetadata().getAnnotations() == null ? ""
                    : p.getMetadata().getAnnotations().getOrDefault(Labels.MODELS, "");
            if (!List.of(models.split(",")).contains(model) || p.getStatus() == null) {
                continue;
            }
            if (p.getStatus().getInitContainerStatuses() != null) {
                for (ContainerStatus c : p.getStatus().getInitContainerStatuses()) {
                    Optional<String> failure = failure(c);
                    if (failure.isPresent()) {
                        return Optional.of(new ReplicaProblem("FetchFailed", "pod " + p.getMetadata().getName()
                                + ": fetching the model (spec.source) failed: " + failure.get()));
                    }
                }
            }
            if (p.getStatus().getContainerStatuses() != null) {
                for (ContainerStatus c : p.getStatus().getContainerStatuses()) {
                    Optional<String> failure = failure(c);
                    if (failure.isPresent()) {
                        return Optional.of(new ReplicaProblem("WorkerFailing", "pod " + p.getMetadata().getName()
                                + ": " + failure.get()));
                    }
                }
            }
            if (p.getStatus().getConditions() != null) {
                for (var c : p.getStatus().getConditions()) {
                    if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                        return Optional.of(new ReplicaProblem("Unschedulable", "pod " + p.getMetadata().getName()
                                + ": " + c.getMessage()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> failure(ContainerStatus c) {
        if (c.getState() != null && c.getState().getTerminated() != null
                && c.getState().getTerminated().getExitCode() != null && c.getState().getTerminated().getExitCode() != 0) {
            var t = c.getState().getTerminated();
            return Optional.of(c.getName() + " exited with " + t.getExitCode() + (t.getMessage() == null ? ""
                    : ": " + t.getMessage().strip()));
        }
        if (c.getState() != null && c.getState().getWaiting() != null && c.getState().getWaiting().getReason() != null
                && List.of("CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError")
                .contains(c.getState().getWaiting().getReason())) {
            var w = c.getState().getWaiting();
            String last = c.getLastState() != null && c.getLastState().getTerminated() != null
                    && c.getLastState().getTerminated().getMessage() != null
                    ? ": " + c.getLastState().getTerminated().getMessage().strip() : "";
            return Optional.of(c.getName() + " " + w.getReason() + (w.getMessage() == null ? "" : " (" + w.getMessage()
                    + ")") + last);
        }
        return Optional.empty();
    }

    /** A model with no profile for a pool's hardware gets a profiling Job on that pool's nodes. */
    private void requestProfile(String model, Pool pool) {
        state.pool(pool.name()).ifPresent(p -> source(model).ifPresent(src -> {
            try {
                jobs.ensure(model, pool.name(), p.getSpec(), src, owners(List.of(model)));
            } catch (RuntimeException e) {
                LOG.warnf("cannot create the profiling Job of %s on %s: %s", model, pool.hardwareId(), e.getMessage());
            }
        }));
    }

    /** The model's source: its spec's, else the sample catalog's entry of the same name. */
    Optional<ModelSource> source(String model) {
        Optional<InferenceModelSpec> spec = state.model(model).map(InferenceModel::getSpec);
        if (spec.isPresent() && spec.get().source() != null) {
            return Optional.of(spec.get().source().toModelSource());
        }
        return catalog.find(model).map(c -> c.source());
    }

    List<OwnerReference> owners(List<String> models) {
        return models.stream().flatMap(name -> state.model(name).stream()).map(StratusOperator::ownedBy).toList();
    }

    /** The owner references of pools (a site's gateway goes with the last of its pools). */
    private List<OwnerReference> poolOwners(List<String> pools) {
        return pools.stream().flatMap(name -> state.pool(name).stream()).map(StratusOperator::ownedBy).toList();
    }

    /** A reference to an owner that is not the controller: the garbage collector deletes what it owns with it. */
    private static OwnerReference ownedBy(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withBlockOwnerDeletion(false).withController(false).build();
    }

    /** How the fleet shapes a group's pods, from the resources now. */
    private final class Shapes implements KubernetesWorkerFleet.Shapes {
        @Override
        public Optional<GroupShape> shape(WorkerGroupSpec spec) {
            String pool = spec.groupId().substring(spec.groupId().lastIndexOf('@') + 1);
            Optional<AcceleratorPool> p = state.pool(pool);
            Map<String, ModelSource> sources = new LinkedHashMap<>();
            for (String m : spec.models()) {
                source(m).ifPresent(s -> sources.put(m, s));
            }
            if (p.isEmpty() || p.get().getSpec() == null || sources.size() != spec.models().size()) {
                return Optional.empty();
            }
            return Optional.of(new GroupShape(spec, pool, p.get().getSpec(), sources, settings));
        }

        @Override
        public List<OwnerReference> owners(List<String> models) {
            return StratusOperator.this.owners(models);
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        driver.close();
        fleet.close();
        sites.close();
        state.close();
        clusterProfiles.close();
    }
}
