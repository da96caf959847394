package dev.stratus.app;

import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.profiling.ProfileRequest;
import dev.stratus.profiling.Profiler;
import dev.stratus.profiling.ProfilingException;
import dev.stratus.profiling.ProfilingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Profiling jobs started through the admin API. They run one at a time, in order: two profilers sharing the
 * cores would each measure the other's load. A job's profile is stored only when the whole run succeeded.
 */
public final class ProfilingJobs implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProfilingJobs.class);
    /** Finished jobs kept for queries; older ones are forgotten first. */
    private static final int HISTORY = 200;

    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED }

    /** What a client sees of a job. */
    public record Job(String id, String model, State state, String phase, double fraction, double secondsLeft,
            String detail, String error, String hardwareId, Instant createdAt, Instant finishedAt) {

        Job with(State s, ProfilingProgress.Update u, String err, String hw) {
            return new Job(id, model, s, u == null ? phase : u.phase(), u == null ? fraction : u.fraction(),
                    u == null ? secondsLeft : u.secondsLeft(), u == null ? detail : u.detail(), err, hw, createdAt,
                    s == State.SUCCEEDED || s == State.FAILED ? Instant.now() : null);
        }
    }

    private final ProfileStore store;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
            .name("profiling-jobs").daemon(true).unstarted(r));
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    public ProfilingJobs(ProfileStore store) {
        this.store = store;
    }

    /** Checks the request (throws with the status to answer), then queues it. */
    public Job submit(ProfileRequest request) throws ProfilingException {
        Profiler.prepare(request);
        Job job = new Job(UUID.randomUUID().toString(), request.model(), State.QUEUED, "queued", 0, 0, "", null,
                null, Instant.now(), null);
        put(job);
        runner.execute(() -> run(job.id(), request));
        return job;
    }

    public Optional<Job> find(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    private void run(String id, ProfileRequest request) {
        update(id, State.RUNNING, null, null, null);
        Path work = null;
        try {
            work = Files.createTempDirectory("stratus-profile-");
            Profile profile = new Profiler(request, u -> update(id, State.RUNNING, u, null, null), work).run();
            store.save(profile);
            update(id, State.SUCCEEDED, new ProfilingProgress.Update("done", 1, 0, "stored"), null,
                    profile.hardwareId());
        } catch (ProfilingException e) {
            update(id, State.FAILED, null, e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            update(id, State.FAILED, null, "interrupted: the service is stopping", null);
        } catch (Exception e) {
            LOG.errorf(e, "profiling job %s failed", id);
            update(id, State.FAILED, null, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
    }

    private void update(String id, State state, ProfilingProgress.Update u, String error, String hw) {
        synchronized (jobs) {
            Job old = jobs.get(id);
            if (old != null) {
                jobs.put(id, old.with(state, u, error, hw));
            }
        }
    }

    private void put(Job job) {
        synchronized (jobs) {
            jobs.put(job.id(), job);
            if (jobs.size() > HISTORY) {
                jobs.entrySet().stream().filter(e -> e.getValue().finishedAt() != null).findFirst()
                        .ifPresent(e -> jobs.remove(e.getKey()));
            }
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
