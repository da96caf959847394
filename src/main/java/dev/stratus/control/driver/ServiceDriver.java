package dev.stratus.control.driver;

import dev.stratus.catalog.ModelCatalog;
import dev.stratus.control.ControlService;
import dev.stratus.control.ServiceSpec;
import dev.stratus.control.io.ResourceException;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.control.io.ResourceReader.Resource;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.RoutingTable;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.planning.PlanningException;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.resource.AcceleratorPoolSpec;
import dev.stratus.resource.InferenceModelSpec;
import dev.stratus.resource.InferencePipelineSpec;
import dev.stratus.resource.Kinds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Feeds one {@link ControlService} the resources it can run, as the operator's reconcilers see them: each resource
 * is checked alone (schema constraints, field rules), then against the others (pools a model names, stages of a
 * pipeline), a model waits while no profile exists for any pool it may use (a profile is requested meanwhile), and
 * the largest set the planner accepts is applied: a model the planner rejects (an SLO no pool can meet, no capacity
 * left) is set aside with the planner's reason and the rest is planned again. So one bad resource never stops the
 * others, and every resource gets a {@link Verdict} that its status reports.
 *
 * <p>Not thread-safe by itself: callers serialise {@link #apply} (the operator calls it from one place).
 */
public final class ServiceDriver implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceDriver.class);

    /** Where a model's missing profile is asked for (a profiling Job per model and hardware in the cluster). */
    @FunctionalInterface
    public interface ProfileRequests {
        void request(String model, Pool pool);
    }

    /** Why a resource is or is not served. */
    public enum State { ADMITTED, WAITING_FOR_PROFILE, REJECTED }

    /** The outcome for one resource: its state and, unless admitted, the reason (CamelCase) and message. */
    public record Verdict(String kind, String name, State state, String reason, String message) {
        static Verdict admitted(Resource r) {
            return new Verdict(r.kind(), r.name(), State.ADMITTED, "Admitted", "");
        }

        public boolean admitted() {
            return state == State.ADMITTED;
        }
    }

    /** Everything one {@link #apply} decided. */
    public record Outcome(Map<String, Verdict> verdicts, Optional<ServiceSpec> spec) {
        public Optional<Verdict> verdict(String kind, String name) {
            return Optional.ofNullable(verdicts.get(key(kind, name)));
        }
    }

    private final ProfileStore profiles;
    private final ControlService.Ports ports;
    private final ControlService.Settings settings;
    private final ProfileRequests profileRequests;
    private final ModelCatalog catalog;
    private ControlService control;
    private ScopedFleet scope;
    private ServiceSpec applied;
    private Outcome last = new Outcome(Map.of(), Optional.empty());

    public ServiceDriver(ProfileStore profiles, ControlService.Ports ports, ControlService.Settings settings,
            ProfileRequests profileRequests) {
        this(profiles, ports, settings, profileRequests, ModelCatalog.bundled());
    }

    /** @param catalog the models workers can serve (their inputs and batch axes) */
    public ServiceDriver(ProfileStore profiles, ControlService.Ports ports, ControlService.Settings settings,
            ProfileRequests profileRequests, ModelCatalog catalog) {
        this.catalog = catalog;
        this.profiles = profiles;
        this.ports = ports;
        this.settings = settings;
        this.profileRequests = profileRequests;
    }

    /** Brings the control service in line with the resources; returns a verdict for each. */
    public Outcome apply(List<Resource> resources, String reason) {
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        List<Resource> candidates = new ArrayList<>();
        for (Resource r : resources) {
            try {
                candidates.add(ResourceReader.checked(r));
            } catch (ResourceException e) {
                verdicts.put(key(r), new Verdict(r.kind(), r.name(), State.REJECTED, "InvalidSpec", e.getMessage()));
            }
        }
        candidates = checkReferences(candidates, verdicts);
        while (true) {
            Optional<ServiceSpec> spec = buildSpec(candidates, verdicts);
            if (spec.isEmpty()) {
                stop(reason);
                break;
            }
            try {
                run(spec.get(), reason);
                break;
            } catch (PlanningException e) {
                String subject = e.subject().replaceFirst("^(model|pipeline|pool) ", "");
                List<Resource> atFault = candidates.stream().filter(r -> r.name().equals(subject)).toList();
                if (atFault.isEmpty()) {
                    // Not one resource's fault (e.g. the exact search as a whole): nothing can be served as asked.
                    candidates.forEach(r -> verdicts.put(key(r), new Verdict(r.kind(), r.name(), State.REJECTED,
                            "NoFeasiblePlan", e.getMessage())));
                    stop(reason);
                    break;
                }
                for (Resource r : atFault) {
                    verdicts.put(key(r), new Verdict(r.kind(), r.name(), State.REJECTED, "NoFeasiblePlan",
                            e.getMessage()));
                }
                candidates = checkReferences(candidates.stream().filter(r -> !atFault.contains(r)).toList(), verdicts);
            }
        }
        for (Resource r : candidates) {
            verdicts.putIfAbsent(key(r), Verdict.admitted(r));
        }
        last = new Outcome(Map.copyOf(verdicts), Optional.ofNullable(applied));
        return last;
    }

    /** The verdicts of the last {@link #apply}. */
    public Outcome last() {
        return last;
    }

    public Optional<ControlService> control() {
        return Optional.ofNullable(control);
    }

    /** Pools named by models must exist; a model waits for a profile; a pipeline's stages must all be served. */
    private List<Resource> checkReferences(List<Resource> candidates, Map<String, Verdict> verdicts) {
        Map<String, AcceleratorPoolSpec> pools = new LinkedHashMap<>();
        candidates.stream().filter(r -> r.spec() instanceof AcceleratorPoolSpec)
                .forEach(r -> pools.put(r.name(), (AcceleratorPoolSpec) r.spec()));
        List<Resource> kept = new ArrayList<>();
        Set<String> models = new LinkedHashSet<>();
        for (Resource r : candidates) {
            if (r.spec() instanceof InferenceModelSpec m) {
                Optional<Verdict> problem = modelProblem(r, m, pools, candidates);
                if (problem.isPresent()) {
                    verdicts.put(key(r), problem.get());
                    continue;
                }
                models.add(r.name());
            }
            kept.add(r);
        }
        List<Resource> out = new ArrayList<>();
        for (Resource r : kept) {
            if (r.spec() instanceof InferencePipelineSpec p) {
                Optional<String> missing = p.stages().stream().filter(s -> !models.contains(s)).findFirst();
                if (missing.isPresent()) {
                    Verdict v = verdicts.get(key(Kinds.MODEL, missing.get()));
                    verdicts.put(key(r), new Verdict(r.kind(), r.name(), State.REJECTED, "StageNotServed",
                            r.where() + ": spec.stages: '" + missing.get() + "' is not served"
                                    + (v == null ? " (no such InferenceModel)" : " (" + v.reason() + ")")));
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }

    private Optional<Verdict> modelProblem(Resource r, InferenceModelSpec m, Map<String, AcceleratorPoolSpec> pools,
            List<Resource> candidates) {
        List<String> allowed = m.allowedPools() == null ? List.of() : m.allowedPools();
        for (int i = 0; i < allowed.size(); i++) {
            if (!pools.containsKey(allowed.get(i))) {
                return Optional.of(new Verdict(r.kind(), r.name(), State.REJECTED, "UnknownPool", r.where()
                        + ": spec.allowedPools[" + i + "]: no AcceleratorPool '" + allowed.get(i) + "' is served"));
            }
        }
        if (pools.isEmpty()) {
            return Optional.of(new Verdict(r.kind(), r.name(), State.REJECTED, "UnknownPool", r.where()
                    + ": no AcceleratorPool is served"));
        }
        if (catalog.find(r.name()).isEmpty()) {
            return Optional.of(new Verdict(r.kind(), r.name(), State.REJECTED, "UnknownModel", r.where()
                    + ": the worker serves the sample catalog's models (inputs, batch axes); '" + r.name()
                    + "' is not one of " + catalog.models().stream().map(x -> x.name()).toList()));
        }
        boolean anyProfile = false;
        for (Map.Entry<String, AcceleratorPoolSpec> e : pools.entrySet()) {
            if (!allowed.isEmpty() && !allowed.contains(e.getKey())) {
                continue;
            }
            Pool pool = poolOf(e.getKey(), candidates);
            if (profiles.find(r.name(), pool.hardwareId()).isPresent()) {
                anyProfile = true;
            } else {
                profileRequests.request(r.name(), pool);
            }
        }
        if (!anyProfile) {
            return Optional.of(new Verdict(r.kind(), r.name(), State.WAITING_FOR_PROFILE, "ProfilePending",
                    "no profile of '" + r.name() + "' for the hardware of its pools yet; profiling was requested"));
        }
        return Optional.empty();
    }

    private static Pool poolOf(String name, List<Resource> candidates) {
        List<Resource> one = candidates.stream().filter(r -> r.spec() instanceof AcceleratorPoolSpec
                && r.name().equals(name)).toList();
        return ResourceReader.pools(one).get(0);
    }

    /** The spec of the candidates, setting aside any resource the request's own checks blame. */
    private static Optional<ServiceSpec> buildSpec(List<Resource> candidates, Map<String, Verdict> verdicts) {
        List<Resource> remaining = new ArrayList<>(candidates);
        while (true) {
            boolean hasPool = remaining.stream().anyMatch(r -> r.spec() instanceof AcceleratorPoolSpec);
            boolean hasModel = remaining.stream().anyMatch(r -> r.spec() instanceof InferenceModelSpec);
            if (!hasPool || !hasModel) {
                return Optional.empty();
            }
            try {
                return Optional.of(ResourceReader.toSpec(remaining));
            } catch (ResourceException e) {
                if (e.kind().isEmpty()) {
                    remaining.forEach(r -> verdicts.put(key(r), new Verdict(r.kind(), r.name(), State.REJECTED,
                            "InvalidSpec", e.getMessage())));
                    return Optional.empty();
                }
                String k = e.kind().get();
                String n = e.resourceName().orElseThrow();
                remaining.removeIf(r -> r.kind().equals(k) && r.name().equals(n));
                verdicts.put(key(k, n), new Verdict(k, n, State.REJECTED, "InvalidSpec", e.getMessage()));
                candidates.removeIf(r -> r.kind().equals(k) && r.name().equals(n));
            }
        }
    }

    private void run(ServiceSpec spec, String reason) {
        if (spec.equals(applied)) {
            return;
        }
        if (control == null) {
            scope = new ScopedFleet(ports.fleet());
            ControlService next = new ControlService(spec, profiles, new ControlService.Ports(scope, ports.observer(),
                    ports.routes(), ports.events(), ports.history(), ports.clock()), settings);
            try {
                next.start();
            } catch (RuntimeException e) {
                next.close();
                scope.close();
                scope = null;
                throw e;
            }
            control = next;
            LOG.infof("control loop started: %d model(s), plan cost %.3f/h", spec.request().models().size(),
                    next.plan().costPerHour());
        } else {
            control.update(spec, reason);
        }
        applied = spec;
    }

    /** Nothing can be served: the loop stops and every replica drains. */
    private void stop(String reason) {
        if (control != null) {
            LOG.infof("no resource can be served (%s): stopping the control loop, draining every replica", reason);
            control.close();
            scope.close();
            control = null;
            scope = null;
        }
        applied = null;
        ports.fleet().apply(FleetTarget.EMPTY);
        ports.routes().publish(RoutingTable.EMPTY);
    }

    private static String key(Resource r) {
        return key(r.kind(), r.name());
    }

    static String key(String kind, String name) {
        return kind + "/" + name;
    }

    @Override
    public void close() {
        if (control != null) {
            control.close();
            scope.close();
        }
    }
}
