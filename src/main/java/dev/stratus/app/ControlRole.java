package dev.stratus.app;

import dev.stratus.backend.local.FileStateStore;
import dev.stratus.backend.local.LocalWorkerFleet;
import dev.stratus.app.security.AccessControl;
import dev.stratus.config.StratusConfig;
import dev.stratus.control.ControlService;
import dev.stratus.control.io.RecordedRates;
import dev.stratus.control.io.ResourceEdits;
import dev.stratus.control.io.ResourceSet;
import dev.stratus.catalog.InputShapes;
import dev.stratus.control.ServiceSpec;
import dev.stratus.control.repository.DocumentSources;
import dev.stratus.control.repository.RepositoryModels;
import dev.stratus.control.repository.VersionRollout;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.core.autoscaling.EventLog;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.port.EventSink;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.core.model.fleet.PipelineWiring;
import dev.stratus.dataplane.gateway.Gateway;
import dev.stratus.dataplane.gateway.GatewayGrpcApi;
import dev.stratus.dataplane.grpc.GrpcEndpoint;
import dev.stratus.dataplane.gateway.SiteGateways;
import dev.stratus.host.HardwareIdentity;
import dev.stratus.host.Versions;
import dev.stratus.metrics.MicrometerGatewayMetrics;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.profiling.MeasurementSettings;
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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    private final OcrDictionary dictionary = new OcrDictionary();
    private volatile Gateway gateway;
    private volatile GrpcEndpoint grpc;
    private volatile SiteGateways sites;
    private volatile LocalWorkerFleet fleet;
    private volatile ControlService control;
    private volatile String failure;
    private volatile ResourceSet resources;
    /** The models of {@code --models-dir}, when serving a repository. */
    private volatile RepositoryModels repository;
    /** The documents' own model sources (spec.source), admitted at start. */
    private volatile DocumentSources sources;
    /** Rolls repository version changes out to the replicas, once per control period. */
    private final ScheduledExecutorService versions = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("repository-versions").daemon(true).unstarted(r));
    private volatile FileStateStore state;
    private volatile RecordedRates rates;

    void mount(@Observes Router router) {
        if (!"controller".equals(config.role())) {
            return;
        }
        gateway = new Gateway(vertx, new MicrometerGatewayMetrics(registry), config.control().maxRequestBytes(),
                Versions.stratus(), access.inferenceAccess(), Optional.empty(), dictionary);
        gateway.mount(router);
        config.control().grpcPort().ifPresent(port -> grpc = new GatewayGrpcApi(gateway).endpoint().start(vertx,
                ConfigProvider.getConfig().getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0"), port,
                config.control().maxRequestBytes()));
        sites = new SiteGateways(vertx, gateway, new SiteGateways.SiteFactory() {
            @Override
            public SiteGateways.Address address(String site) {
                return Optional.ofNullable(config.control().siteAddress().get(site)).map(SiteGateways.Address::parse)
                        .orElse(new SiteGateways.Address("127.0.0.1", 0));
            }

            @Override
            public Gateway gateway(String site) {
                URI cloud = Optional.ofNullable(config.control().siteCloud().get(site)).map(URI::create)
                        .orElseGet(ControlRole::ownAddress);
                return new Gateway(vertx, new MicrometerGatewayMetrics(registry, site),
                        config.control().maxRequestBytes(), Versions.stratus(), access.inferenceAccess(),
                        Optional.of(new Gateway.Site(site, cloud)), dictionary);
            }
        });
    }

    /** Where this process's own (cloud) gateway answers, for edge sites to forward to. */
    private static URI ownAddress() {
        var c = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        String host = c.getOptionalValue("quarkus.http.host", String.class).orElse("127.0.0.1");
        int port = c.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        return URI.create("http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port);
    }

    void start(@Observes StartupEvent event) {
        if (!"controller".equals(config.role()) || !config.control().enabled()) {
            return;
        }
        Thread.ofPlatform().name("control-start").daemon(true).start(this::startControl);
    }

    /**
     * Beside the resources it overlays, inside the configuration directory (not read as resources: only its
     * top-level YAML files are). A read-only configuration (a ConfigMap or a read-only volume in a container) puts
     * it under the temporary directory instead, said once: edits then last as long as that directory does.
     */
    static Path defaultState(Path configDir) {
        Path beside = configDir.resolve(".stratus-state");
        if (java.nio.file.Files.isWritable(java.nio.file.Files.isDirectory(beside) ? beside : configDir)) {
            return beside;
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir"), "stratus-state-"
                + Integer.toHexString(configDir.toAbsolutePath().normalize().toString().hashCode()));
        LOG.warnf("the configuration directory %s is read-only: state (admin API edits, worker records) in %s, which "
                + "lasts as long as the temporary directory does; give --state DIR to keep it elsewhere", configDir,
                temp);
        return temp;
    }

    private void startControl() {
        try {
            Path configDir = Path.of(config.control().config());
            state = FileStateStore.open(config.control().state().map(Path::of).orElseGet(() -> defaultState(configDir)));
            var files = ResourceReader.readResources(configDir);
            ResourceEdits edits = ResourceEdits.load(state, state.path(ResourceEdits.KEY).toString(), files);
            var documents = edits.applyTo(files);
            if (edits.size() > 0) {
                LOG.infof("%d admin-API edit(s) from %s applied over %s", edits.size(), edits, configDir);
            }
            rates = new RecordedRates(state);
            Path logs = config.control().logs().map(Path::of).orElse(Files.createTempDirectory("stratus-workers-"));
            Optional<Path> modelsDir = config.control().modelsDir().map(Path::of);
            DocumentSources own = DocumentSources.of(documents, modelsDir, logs.resolve("catalog"), System.out);
            sources = own;
            Optional<Path> repositoryDir = modelsDir.or(own::repository);
            if (repositoryDir.isPresent()) {
                repository = openRepository(repositoryDir.get(), own.repositoryShapes(), logs);
                own.check(repository);
                documents = repository.resources(documents, own::admitted, LOG::info);
            }
            ServiceSpec spec = RecordedRates.apply(ResourceReader.toSpec(documents, own.catalog()), rates.read());
            profileMissing(spec);
            if (spec.request().pipelines().stream().anyMatch(p -> spec.wiring(p.name()).processing()
                    == PipelineWiring.Processing.PPOCR)) {
                OcrDictionary.fetch(System.out);
            }
            EventSink sink = observability.counting(events::record, spec);
            fleet = new LocalWorkerFleet(logs, workerArgs(repository, own), sink::record, LocalWorkerFleet.Settings
                    .defaults().persistent(state, state.path(FileStateStore.OWNER), config.control().orphanGraceMs()));
            ControlService.Ports local = ControlService.Ports.local(fleet, gateway, events);
            // Every gateway (the cloud's and each edge site's) is fed the routes and observed, as one.
            control = new ControlService(spec, profiles, new ControlService.Ports(fleet, observability.observing(
                    sites, fleet), sites, sink, local.history(), local.clock()),
                    new ControlService.Settings(
                    config.control().periodMs(), config.control().policy(), config.control().colocation(),
                    ControlService.Settings.DEFAULT.rule(), ControlService.Settings.DEFAULT.warmPool()));
            fleet.onChange(this::recordRates);
            control.start();
            observability.watch(control, fleet);
            resources = new ResourceSet(documents, own.catalog(), edits);
            if (repository != null) {
                VersionRollout rollout = new VersionRollout(repository, fleet, profiles, this::measure, sink::record,
                        access.workerAdminToken());
                versions.scheduleWithFixedDelay(() -> {
                    try {
                        rollout.tick();
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "repository rollout failed; next period retries");
                    }
                }, config.control().periodMs(), config.control().periodMs(), TimeUnit.MILLISECONDS);
            }
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
                RepositoryModels repo = repository;
                Optional<RepositoryModels.Served> version = repo == null ? Optional.empty() : repo.served(m.name());
                DocumentSources own = sources;
                Optional<Path> catalog = version.isPresent() ? repo.catalogFor(m.name())
                        : own != null && own.admitted(m.name()) ? own.catalogFile() : Optional.empty();
                Profile measured = measure(m.name(), catalog.orElse(null));
                profiles.save(version.map(v -> RepositoryModels.noted(measured, v)).orElse(measured));
            }
        }
    }

    /** Profiles a model on this machine: a catalog model, or a repository version through its catalog file. */
    private Profile measure(String model, Path catalog) throws Exception {
        Path work = Files.createTempDirectory("stratus-profile-");
        ProfileRequest request = ProfileRequest.of(model);
        if (catalog != null) {
            request = new ProfileRequest(model, null, 0, Map.of(), Optional.of(catalog), MeasurementSettings.DEFAULT);
        }
        return new Profiler(request, u -> LOG.infof("profiling %s: %s %s", model, u.phase(), u.detail()), work).run();
    }

    /**
     * What every worker gets: the catalog of the documents' own sources; with a repository, the repository and this
     * service's token file, whose admin token lets the version rollout use their model repository endpoints (a path
     * on the command line, never a token).
     */
    private List<String> workerArgs(RepositoryModels repo, DocumentSources own) {
        List<String> args = new ArrayList<>(own.workerArgs());
        if (repo != null) {
            args.addAll(repo.workerArgs());
            args.addAll(List.of("--tokens", access.tokenFile().toAbsolutePath().toString()));
        }
        return args;
    }

    /**
     * The repository ({@code --models-dir}, or the folder documents name as their source), its models checked; one
     * that cannot be served is logged and left out. The documents' warm-up shapes add to {@code --input-shape}.
     */
    private RepositoryModels openRepository(Path dir, Map<String, long[]> documentShapes, Path work) {
        Map<String, long[]> shapes = new LinkedHashMap<>(documentShapes);
        config.control().inputShape().forEach((input, dims) -> shapes.put(input, InputShapes.dims(dims, input + "="
                + dims)));
        return RepositoryModels.open(dir, shapes, config.control().defaultVersion(), work.resolve("repository"),
                problem -> LOG.errorf("%s", problem));
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

    /** The edge sites' gateways (empty before the control service starts). */
    public Optional<SiteGateways> sites() {
        return Optional.ofNullable(sites);
    }

    public EventLog events() {
        return events;
    }

    /** Why the control service failed to start, if it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    void stop(@Observes ShutdownEvent event) {
        versions.shutdownNow();
        if (control != null) {
            control.close();
        }
        if (fleet != null) {
            fleet.close(); // drains every worker: nothing is left to adopt
        }
        if (grpc != null) {
            grpc.close();
        }
        if (sites != null) {
            sites.close();
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
