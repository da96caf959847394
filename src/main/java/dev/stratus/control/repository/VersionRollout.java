package dev.stratus.control.repository;

import dev.stratus.catalog.CatalogException;
import dev.stratus.catalog.ModelRepository;
import dev.stratus.core.autoscaling.ScalingEvent;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.EventSink;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.core.port.WorkerFleet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps the served versions of repository models in step with the folder. Each period it rescans; when a model's
 * versions change it checks the new default version, profiles it first when this service has not measured that
 * file (the plan's latencies must be the version's), and then asks every ready replica of the model to load
 * (Triton's {@code POST /v2/repository/models/{m}/load}). Each replica loads and warms the new version while the
 * current default serves, moves unversioned traffic once it is READY, and drains the versions gone from the
 * folder. A replica that did not take the change (still starting, or busy) is asked again the next period.
 */
public final class VersionRollout {
    private static final Logger LOG = Logger.getLogger(VersionRollout.class);

    /** Measures a version's file on this machine (the profiler, given the version's catalog file). */
    @FunctionalInterface
    public interface Measure {
        Profile profile(String model, java.nio.file.Path catalog) throws Exception;
    }

    private final RepositoryModels models;
    private final WorkerFleet fleet;
    private final ProfileStore profiles;
    private final Measure measure;
    private final EventSink events;
    private final Optional<String> adminToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Per model, what the folder held last time: versions and the default. */
    private final Map<String, String> fingerprints = new HashMap<>();
    /** Checksums of the files this service has profiled, or found profiled when it started. */
    private final Set<String> measured = new HashSet<>();
    /** Per replica id and model, the fingerprint it has loaded. */
    private final Map<String, String> synced = new HashMap<>();
    /** Per model, a folder state that could not be rolled out (reported once, tried again when it changes). */
    private final Map<String, String> failedFingerprints = new HashMap<>();

    /**
     * @param adminToken sent to the replicas, whose model repository endpoints need an admin token (none: they
     *                   refuse, and each refusal is logged)
     */
    public VersionRollout(RepositoryModels models, WorkerFleet fleet, ProfileStore profiles, Measure measure,
            EventSink events, Optional<String> adminToken) {
        this.adminToken = adminToken;
        this.models = models;
        this.fleet = fleet;
        this.profiles = profiles;
        this.measure = measure;
        this.events = events;
        ModelRepository now = scan().orElseThrow();
        for (String name : models.names()) {
            now.model(name).ifPresent(m -> fingerprints.put(name, fingerprint(m)));
            // Made after the start-up profiling: the profile each model has now is its served version's.
            models.served(name).ifPresent(s -> measured.add(s.spec().source().sha256()));
        }
    }

    /** One pass: new folder state is checked, profiled and pushed; replicas behind are asked again. */
    public void tick() {
        Optional<ModelRepository> repository = scan();
        if (repository.isEmpty()) {
            return;
        }
        for (String name : models.names()) {
            Optional<ModelRepository.Model> model = repository.get().model(name);
            if (model.isEmpty()) {
                continue; // the folder lost every version: the loaded ones keep serving
            }
            String fingerprint = fingerprint(model.get());
            if (!fingerprint.equals(fingerprints.get(name)) && !prepare(model.get(), fingerprint)) {
                continue;
            }
            push(name, fingerprints.get(name));
        }
    }

    /** Checks (and profiles) a changed model's default version; true when it may be rolled out. */
    private boolean prepare(ModelRepository.Model model, String fingerprint) {
        String name = model.name();
        RepositoryModels.Served next;
        try {
            next = models.check(model);
        } catch (IllegalArgumentException e) {
            if (!fingerprint.equals(failedFingerprints.get(name))) {
                failedFingerprints.put(name, fingerprint);
                event(name, "versions " + model.versionNames() + " not rolled out: " + e.getMessage());
            }
            return false;
        }
        String sha = next.spec().source().sha256();
        if (!measured.contains(sha)) {
            LOG.infof("model %s version %s is new here: profiling it before routing moves", name, next.version());
            try {
                profiles.save(RepositoryModels.noted(measure.profile(name, models.catalogFor(name, next)
                        .orElseThrow()), next));
                measured.add(sha);
            } catch (Exception e) {
                event(name, "version " + next.version() + " not rolled out: profiling failed: " + e.getMessage());
                failedFingerprints.put(name, fingerprint);
                return false;
            }
        }
        models.update(next);
        fingerprints.put(name, fingerprint);
        failedFingerprints.remove(name);
        event(name, "versions " + model.versionNames() + ", default " + next.version() + " (" + next.batching()
                + "): replicas load and warm it, then route to it; removed versions drain");
        return true;
    }

    /** Asks each ready replica serving the model to load the folder's state, once per state. */
    private void push(String model, String fingerprint) {
        for (Replica r : fleet.replicas()) {
            if (!r.models().contains(model) || (r.state() != ReplicaState.SERVING && r.state() != ReplicaState.STANDBY)
                    || fingerprint.equals(synced.get(r.id() + "/" + model))) {
                continue;
            }
            String body = models.pinned(model).map(v -> "{\"parameters\":{\"default_version\":\"" + v + "\"}}")
                    .orElse("");
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + r.host() + ":" + r.port()
                                + "/v2/repository/models/" + model + "/load"))
                        .timeout(Duration.ofMinutes(5)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                adminToken.ifPresent(t -> request.header("Authorization", "Bearer " + t));
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    synced.put(r.id() + "/" + model, fingerprint);
                    LOG.infof("replica %s loaded %s: %s", r.id(), model, response.body());
                } else {
                    LOG.warnf("replica %s did not load %s (%d): %s; asking again next period", r.id(), model,
                            response.statusCode(), response.body());
                }
            } catch (IOException e) {
                LOG.debugf("replica %s unreachable for %s: %s; asking again next period", r.id(), model,
                        e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Optional<ModelRepository> scan() {
        try {
            return Optional.of(ModelRepository.scan(models.dir()));
        } catch (CatalogException e) {
            LOG.warnf("%s; the versions loaded keep serving", e.getMessage());
            return Optional.empty();
        }
    }

    /** Versions (with their file sizes and times, so a replaced file counts) and the default they make. */
    private String fingerprint(ModelRepository.Model model) {
        StringBuilder s = new StringBuilder(models.defaultVersion(model)).append(':');
        model.versions().forEach((v, file) -> {
            s.append(v).append('=');
            try {
                s.append(java.nio.file.Files.size(file)).append('@').append(java.nio.file.Files
                        .getLastModifiedTime(file).toMillis());
            } catch (IOException e) {
                s.append('?');
            }
            s.append(';');
        });
        return s.toString();
    }

    private void event(String model, String reason) {
        LOG.info(model + ": " + reason);
        events.record(new ScalingEvent(System.currentTimeMillis(), model, ScalingEvent.Kind.VERSION, 0, 0, reason));
    }
}
