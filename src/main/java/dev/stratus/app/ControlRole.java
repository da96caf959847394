package dev.stratus.app;

import dev.stratus.backend.local.FileStateStore;
import dev.stratus.backend.local.LocalWorkerFleet;
import dev.stratus.app.security.AccessControl;
import dev.stratus.config.StratusConfig;
import dev.stratus.control.ControlService;
import dev.stratus.control.io.RecordedRates;
import dev.stratus.control.io.ResourceEdits;
import dev.stratus.control.io.ResourceSet;
import dev.stratus.control.ServiceSpec;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.core.autoscaling.EventLog;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.port.EventSink;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.dataplane.gateway.Gateway;
import dev.stratus.dataplane.gateway.GatewayGrpcApi;
import dev.stratus.dataplane.grpc.GrpcEndpoint;
import dev.stratus.host.HardwareIdentity;
import dev.stratus.host.Versions;
import dev.stratus.metrics.MicrometerGatewayMetrics;
import dev.stratus.profiling.ProfileRequest;
import dev.stratus.profiling.Profiler;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Wires the controller role: the gateway on this process's HTTP port, the local fleet of worker processes,
 * and the control loop. Models without a profile for their pool's hardware are profiled first (on this
 * machine), then the first plan is applied. Admin-API edits, the running workers and the planned rates are
 * recorded in a state directory: a service restarted after a crash keeps the edits and adopts the workers.
 * Shutdown drains every worker it started (or adopted) and leaves nothing to adopt.
 */
@ApplicationScoped
public class ControlRole {
    private static final Logger LOG = Logger.getLogger(ControlRole.class);

    @Inject
    StratusConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    ProfileStore profiles;

    @Inject
    Vertx vertx;

    @Inject
    Observability observability;

    @Inject
    AccessControl access;

    private final EventLog events = new EventLog();
    private volatile Gateway gateway;
    private volatile GrpcEndpoint grpc;
    private volatile LocalWorkerFleet fleet;
    private volatile ControlService control;
    private volatile String failure;
    private volatile ResourceSet resources;
    private volatile FileStateStore state;
    private volatile RecordedRates rates;

    void mount(@Observes Router router) {
        if (!"controller".equals(config.role())) {
            return;
        }
        gateway = new Gateway(vertx, new MicrometerGatewayMetrics(registry), config.control().maxRequestBytes(),
                Versions.stratus(), access.inferenceAccess());
        gateway.mount(router);
        config.control().grpcPort().ifPresent(port -> grpc = new GatewayGrpcApi(gateway).endpoint().start(vertx,
                ConfigProvider.getConfig().getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0"), port,
                config.control().maxRequestBytes()));
    }

    void start(@Observes StartupEvent event) {
        if (!"controller".equals(config.role()) || !config.control().enabled()) {
            return;
        }
        Thread.ofPlatform().name("control-start").daemon(true).start(this::startControl);
    }

    private void startControl() {
        try {
            Path configDir = Path.of(config.control().config());
            // Beside the resources it overlays, inside the configuration directory (not read as resources: only
            // its top-level YAML files are), unless --state says otherwise.
            state = FileStateStore.open(config.control().state().map(Path::of)
                    .orElse(configDir.resolve(".stratus-state")));
            var files = ResourceReader.readResources(configDir);
            ResourceEdits edits = ResourceEdits.load(state, state.path(ResourceEdits.KEY).toString(), files);
            var documents = edits.applyTo(files);
            if (edits.size() > 0) {
                LOG.infof("%d admin-API edit(s) from %s applied over %s", edits.size(), edits, configDir);
            }
            rates = new RecordedRates(state);
            ServiceSpec spec = RecordedRates.apply(ResourceReader.toSpec(documents), rates.read());
            profileMissing(spec);
            Path logs = config.control().logs().map(Path::of).orElse(Files.createTempDirectory("stratus-workers-"));
            EventSink sink = observability.counting(events::record, spec);
            fleet = new LocalWorkerFleet(logs, List.of(), sink::record, LocalWorkerFleet.Settings.defaults()
                    .persistent(state, state.path(FileStateStore.OWNER), config.control().orphanGraceMs()));
            ControlService.Ports local = ControlService.Ports.local(fleet, gateway, events);
            control = new ControlService(spec, profiles, new ControlService.Ports(fleet, observability.observing(
                    local.observer(), fleet), local.routes(), sink, local.history(), local.clock()),
                    new ControlService.Settings(
                    config.control().periodMs(), config.control().policy(), config.control().colocation(),
                    ControlService.Settings.DEFAULT.rule(), ControlService.Settings.DEFAULT.warmPool()));
            fleet.onChange(this::recordRates);
            control.start();
            observability.watch(control, fleet);
            resources = new ResourceSet(documents, edits);
            LOG.infof("control service running: %d model(s), plan cost %.3f/h, worker logs in %s, state in %s",
                    spec.request().models().size(), control.plan().costPerHour(), logs, state.dir());
        } catch (Exception e) {
            failure = e.getMessage();
            LOG.errorf("control service cannot start: %s", e.getMessage());
            Quarkus.asyncExit(1);
        }
    }

    /** The rates of the plan in force, for a restart after a crash to plan for the same load. */
    private void recordRates() {
        ControlService c = control;
        if (c != null && rates != null && !c.plannedRates().isEmpty()) {
            try {
                rates.write(c.plannedRates());
            } catch (RuntimeException e) {
                LOG.warnf("cannot record the planned rates: %s", e.getMessage());
            }
        }
    }

    /**
     * A model with no profile for a pool it may use gets one measured here, before anything is planned: at start,
     * and when the admin API adds a model (the committed profiles cover one machine type; others measure first).
     */
    public void profileMissing(ServiceSpec spec) throws Exception {
        String here = HardwareIdentity.detect(false).id();
        for (ModelDemand m : spec.request().models()) {
            for (Pool pool : spec.request().poolsFor(m)) {
                // Only this machine's class can be measured here; other classes need their own profiles.
                if (profiles.find(m.name(), pool.hardwareId()).isPresent() || !pool.hardwareId().equals(here)) {
                    continue;
                }
                LOG.infof("no profile of %s on %s: profiling it now", m.name(), pool.hardwareId());
                Path work = Files.createTempDirectory("stratus-profile-");
                profiles.save(new Profiler(ProfileRequest.of(m.name()), u -> LOG.infof("profiling %s: %s %s",
                        m.name(), u.phase(), u.detail()), work).run());
            }
        }
    }

    public Optional<ControlService> control() {
        return Optional.ofNullable(control);
    }

    public Optional<ResourceSet> resources() {
        return Optional.ofNullable(resources);
    }

    public Optional<LocalWorkerFleet> fleet() {
        return Optional.ofNullable(fleet);
    }

    public Optional<Gateway> gateway() {
        return Optional.ofNullable(gateway);
    }

    public EventLog events() {
        return events;
    }

    /** Why the control service failed to start, if it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    void stop(@Observes ShutdownEvent event) {
        if (control != null) {
            control.close();
        }
        if (fleet != null) {
            fleet.close(); // drains every worker: nothing is left to adopt
        }
        if (grpc != null) {
            grpc.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (state != null) {
            try {
                if (rates != null) {
                    rates.clear();
                }
            } finally {
                state.close();
            }
        }
    }
}
