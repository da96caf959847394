package dev.stratus.dataplane.worker.batching;

import dev.stratus.core.batching.BatchDecision;
import dev.stratus.core.batching.BatchFormation;
import dev.stratus.core.batching.BatchItem;
import dev.stratus.core.batching.BatchQueue;
import dev.stratus.core.model.BatchingPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One model's queue and dynamic batcher. A dedicated thread forms batches with the batch rule the simulator uses
 * too ({@link BatchFormation}) only when one of the model's execution slots is free, so requests keep accumulating while a batch runs and the
 * next batch is as full as the load allows. Each model has its own batcher and slots: a slow or busy model
 * never holds up another's requests.
 *
 * @param <T> the queued request type
 */
public final class DynamicBatcher<T extends BatchItem> {

    /** Runs one batch; called on an execution thread of this model. */
    @FunctionalInterface
    public interface BatchRunner<T> {
        void run(List<T> batch);
    }

    /** Why an offer was refused. */
    public enum Admission { ACCEPTED, QUEUE_FULL, CLOSED }

    /**
     * One decision as the batching thread takes it: the requests answered with the deadline error, the batch
     * started (empty: none), and when the thread would decide again.
     */
    record Step<T>(List<T> expired, List<T> batch, long wakeAtNanos) {
    }

    private final String model;
    private final BatchingPolicy policy;
    private final BatchFormation.Limits limits;
    private final BatchDecision decision = new BatchDecision();
    private final LatencyEstimator latency;
    private final LongSupplier clock;
    private final BatchRunner<T> runner;
    private final Consumer<List<T>> onExpired;
    private final int slots;
    private final ExecutorService executors;
    private final Thread formingThread;

    private final ReentrantLock lock = new ReentrantLock();
    /** The batching thread waits on this for arrivals, free slots or its next deadline. */
    private final Condition work = lock.newCondition();
    /** Drain waits on this for the queue to empty and the slots to free. */
    private final Condition settled = lock.newCondition();
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private int queuedItems;
    private int busySlots;
    /** Expired requests taken from the queue whose callback has not returned yet. */
    private int answering;
    private boolean accepting = true;
    private boolean flush;
    private boolean stopped;

    public DynamicBatcher(String model, BatchingPolicy policy, LatencyEstimator latency, LongSupplier clock,
            int slots, BatchRunner<T> runner, Consumer<List<T>> onExpired) {
        this.model = model;
        this.policy = policy;
        this.limits = policy.limits();
        this.latency = latency;
        this.clock = clock;
        this.runner = runner;
        this.onExpired = onExpired;
        this.slots = slots;
        this.executors = Executors.newFixedThreadPool(slots, Thread.ofPlatform().name("exec-" + model + "-", 0)
                .daemon(true).factory());
        this.formingThread = Thread.ofPlatform().name("batcher-" + model).daemon(true).unstarted(this::formBatches);
    }

    public void start() {
        formingThread.start();
    }

    public Admission offer(T item) {
        lock.lock();
        try {
            if (!accepting) {
                return Admission.CLOSED;
            }
            if (queuedItems + item.batchCount() > policy.maxQueueSize()) {
                return Admission.QUEUE_FULL;
            }
            queue.addLast(item);
            queuedItems += item.batchCount();
            // While every slot is busy a new request cannot start a batch; the slot that frees up wakes the
            // batcher. Waking it per arrival would cost a context switch per request for nothing, unless the
            // request has a deadline the batcher may have to act on before then.
            if (busySlots < slots || item.deadlineNanos() != Long.MAX_VALUE) {
                work.signal();
            }
            return Admission.ACCEPTED;
        } finally {
            lock.unlock();
        }
    }

    /** Items waiting in the queue (not yet in an executing batch). */
    public int queuedItems() {
        lock.lock();
        try {
            return queuedItems;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops taking requests and dispatches what is queued without waiting for fuller batches, then waits until
     * the queue is empty and no batch runs, at most {@code timeoutNanos}. Returns whether it got there.
     */
    public boolean drain(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            accepting = false;
            flush = true;
            work.signal();
            long remaining = timeoutNanos;
            while ((!queue.isEmpty() || busySlots > 0 || answering > 0) && remaining > 0) {
                remaining = settled.awaitNanos(remaining);
            }
            return queue.isEmpty() && busySlots == 0 && answering == 0;
        } finally {
            lock.unlock();
        }
    }

    private void formBatches() {
        while (true) {
            Step<T> step;
            lock.lock();
            try {
                if (stopped) {
                    return;
                }
                if (queue.isEmpty()) {
                    work.awaitUninterruptibly();
                    continue;
                }
                long now = clock.getAsLong();
                step = step(now);
                if (!step.batch().isEmpty()) {
                    // Handed over under the lock: shutdown() either sees the batch queued or in the executor,
                    // never in between (the executor's queue is unbounded, so this never blocks).
                    List<T> toRun = step.batch();
                    executors.execute(() -> execute(toRun));
                } else if (step.expired().isEmpty()) {
                    long waitNanos = step.wakeAtNanos() == Long.MAX_VALUE ? Long.MAX_VALUE
                            : step.wakeAtNanos() - now;
                    if (waitNanos == Long.MAX_VALUE) {
                        work.awaitUninterruptibly();
                    } else if (waitNanos > 0) {
                        awaitNanos(waitNanos);
                    }
                    continue;
                }
            } finally {
                lock.unlock();
            }
            if (!step.expired().isEmpty()) {
                try {
                    onExpired.accept(step.expired());
                } finally {
                    expiredAnswered();
                }
            }
        }
    }

    /**
     * Takes one decision at {@code now} and applies it to the queue: expired and dropped requests leave it (the
     * caller answers them, then calls {@link #expiredAnswered()}), a batch leaves it and takes a slot (freed by
     * {@link #batchFinished()}). The batching thread runs this in its loop; the check that the worker and the
     * simulator decide alike drives it directly with a manual clock.
     */
    Step<T> step(long now) {
        lock.lock();
        try {
            List<T> snapshot = new ArrayList<>(queue);
            BatchFormation.decide(BatchQueue.of(snapshot), now, limits, latency, busySlots < slots, flush, decision);
            List<T> expired = new ArrayList<>(decision.expiredCount() + decision.droppedCount());
            for (int k = 0; k < decision.expiredCount(); k++) {
                expired.add(snapshot.get(decision.expired(k)));
            }
            for (int k = 0; k < decision.droppedCount(); k++) {
                expired.add(snapshot.get(decision.dropped(k)));
            }
            List<T> batch = new ArrayList<>(decision.batchCount());
            for (int k = 0; k < decision.batchCount(); k++) {
                batch.add(snapshot.get(decision.batch(k)));
            }
            expired.forEach(this::removeLocked);
            batch.forEach(this::removeLocked);
            if (!expired.isEmpty()) {
                answering++;
            }
            if (!batch.isEmpty()) {
                busySlots++;
            }
            return new Step<>(expired, batch, decision.wakeAtNanos());
        } finally {
            lock.unlock();
        }
    }

    /** The expired requests of one step have been answered. */
    void expiredAnswered() {
        locked(() -> {
            answering--;
            settled.signalAll();
        });
    }

    /** A batch finished: its slot is free. */
    void batchFinished() {
        locked(() -> {
            busySlots--;
            work.signal();
            settled.signalAll();
        });
    }

    private void execute(List<T> batch) {
        try {
            runner.run(batch);
        } finally {
            batchFinished();
        }
    }

    private void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    private void removeLocked(T item) {
        queue.remove(item);
        queuedItems -= item.batchCount();
    }

    private void awaitNanos(long nanos) {
        try {
            work.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the batcher threads and returns the requests still queued, for the caller to answer. */
    public List<T> shutdown() {
        List<T> left;
        lock.lock();
        try {
            accepting = false;
            stopped = true;
            left = new ArrayList<>(queue);
            queue.clear();
            queuedItems = 0;
            work.signal();
            settled.signalAll();
        } finally {
            lock.unlock();
        }
        executors.shutdown();
        try {
            executors.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return left;
    }

    @Override
    public String toString() {
        return "DynamicBatcher[" + model + "]";
    }
}
