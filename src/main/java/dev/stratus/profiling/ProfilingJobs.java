package dev.stratus.profiling;

import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Profiling jobs started through the admin API. They run one at a time, in order: two profilers sharing the
 * cores would each measure the other's load. A job's profile is stored only when the whole run succeeded.
 * Requests are held to {@link ProfilingLimits}: a full queue answers 429, and a job still running after twice
 * its measuring budget is stopped, so that no request holds the queue for longer than the limits allow.
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
    private final ProfilingLimits limits;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
            .name("profiling-jobs").daemon(true).unstarted(r));
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> Thread
            .ofPlatform().name("profiling-watchdog").daemon(true).unstarted(r));
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    /** The job the runner is on, and whether the watchdog stopped it; guarded by this. */
    private String running;
    private boolean timedOut;

    public ProfilingJobs(ProfileStore store, ProfilingLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    /** Checks the request (throws with the status to answer), then queues it. */
    public Job submit(ProfileRequest request) throws ProfilingException {
        limits.check(request, Profiler.prepare(request));
        Job job = new Job(UUID.randomUUID().toString(), request.model(), State.QUEUED, "queued", 0, 0, "", null,
                null, Instant.now(), null);
        synchronized (jobs) {
            long waiting = jobs.values().stream().filter(j -> j.finishedAt() == null).count();
            if (waiting >= limits.maxQueuedJobs()) {
                throw new ProfilingException(429, "the profiling queue is full (" + waiting + " job(s) queued or "
                        + "running, limit " + limits.maxQueuedJobs() + ", stratus.profiling.max-queued-jobs); "
                        + "retry when one has finished");
            }
            put(job);
        }
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
        Thread worker = Thread.currentThread();
        long budgetSeconds = 2 * limits.maxJobSeconds();
        synchronized (this) {
            running = id;
            timedOut = false;
        }
        ScheduledFuture<?> stop = watchdog.schedule(() -> {
            synchronized (this) {
                if (id.equals(running)) {
                    timedOut = true;
                    worker.interrupt();
                }
            }
        }, budgetSeconds, TimeUnit.SECONDS);
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
            update(id, State.FAILED, null, timedOut() ? "stopped after " + budgetSeconds + " s, twice the "
                    + "measuring budget (stratus.profiling.max-job-seconds)" : "interrupted: the service is stopping",
                    null);
        } catch (Exception e) {
            LOG.errorf(e, "profiling job %s failed", id);
            update(id, State.FAILED, null, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        } finally {
            stop.cancel(false);
            synchronized (this) {
                running = null;
            }
            // From here no watchdog interrupt can come; one that came as the job ended must not reach the next.
            Thread.interrupted();
        }
    }

    private synchronized boolean timedOut() {
        return timedOut;
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

    /**
     * Stops the running job (interrupted, it ends its worker processes) and waits a while for it, so that no
     * worker outlives the service that started it.
     */
    @Override
    public void close() {
        runner.shutdownNow();
        watchdog.shutdownNow();
        try {
            if (!runner.awaitTermination(40, TimeUnit.SECONDS)) {
                LOG.warn("a profiling job did not stop within 40 s of the service stopping");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
