package dev.stratus.dataplane.worker.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.BatchingPolicy;
import dev.stratus.core.batching.BatchItem;
import dev.stratus.dataplane.worker.batching.DynamicBatcher.Admission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Concurrency behaviour of the batcher. The clock is manual (it never advances), so nothing depends on real
 * time: with a max queue delay of 0 batches go at once, with a long one they go only when drained. Latches and
 * drain timeouts are generous safety nets, never the thing asserted.
 */
class DynamicBatcherTest {
    static final long NONE = Long.MAX_VALUE;
    static final long TEN_SECONDS = TimeUnit.SECONDS.toNanos(10);
    static final Duration FOREVER = Duration.ofHours(1);

    record Req(int id, long enqueuedAtNanos, long deadlineNanos, int batchCount, Object compatibilityKey,
            double costScale) implements BatchItem {
    }

    static Req req(int id) {
        return new Req(id, 0, NONE, 1, "k", 1.0);
    }

    static Req req(int id, int count) {
        return new Req(id, 0, NONE, count, "k", 1.0);
    }

    private final AtomicLong clock = new AtomicLong();
    private final List<DynamicBatcher<Req>> created = new ArrayList<>();

    private DynamicBatcher<Req> batcher(int maxBatch, Duration delay, int maxQueue, int slots,
            DynamicBatcher.BatchRunner<Req> runner, Consumer<List<Req>> onExpired) {
        DynamicBatcher<Req> b = new DynamicBatcher<>("test", new BatchingPolicy(maxBatch, delay, maxQueue),
                new LatencyEstimator(maxBatch), clock::get, slots, runner, onExpired);
        created.add(b);
        return b;
    }

    private static Consumer<List<Req>> noExpiry() {
        return expired -> {
            throw new AssertionError("unexpected expiry of " + expired);
        };
    }

    @AfterEach
    void stopAll() {
        created.forEach(DynamicBatcher::shutdown);
    }

    static Stream<Arguments> loads() {
        return Stream.of(
                // slots, max batch, producers, requests per producer, compatibility keys
                Arguments.of(1, 4, 4, 250, 1),
                Arguments.of(3, 8, 4, 250, 1),
                Arguments.of(2, 1, 2, 100, 1),
                Arguments.of(2, 16, 8, 200, 3));
    }

    @ParameterizedTest(name = "slots={0} maxBatch={1} producers={2}x{3} keys={4}")
    @MethodSource("loads")
    void everyOfferedRequestRunsExactlyOnce(int slots, int maxBatch, int producers, int perProducer, int keys)
            throws Exception {
        ConcurrentLinkedQueue<List<Req>> batches = new ConcurrentLinkedQueue<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        DynamicBatcher<Req> batcher = batcher(maxBatch, Duration.ZERO, 100_000, slots, batch -> {
            int r = running.incrementAndGet();
            maxRunning.accumulateAndGet(r, Math::max);
            batches.add(List.copyOf(batch));
            running.decrementAndGet();
        }, noExpiry());
        batcher.start();

        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Admission> admissions = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < perProducer; i++) {
                    int id = base + i;
                    admissions.add(batcher.offer(new Req(id, 0, NONE, 1, "key" + (id % keys), 1.0)));
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }

        assertTrue(batcher.drain(TEN_SECONDS), "drained");
        int total = producers * perProducer;
        assertEquals(total, admissions.size());
        assertTrue(admissions.stream().allMatch(a -> a == Admission.ACCEPTED), "all accepted");
        assertEquals(0, batcher.queuedItems());

        Map<Integer, Integer> runs = new HashMap<>();
        for (List<Req> batch : batches) {
            assertTrue(!batch.isEmpty() && batch.size() <= maxBatch, "batch size " + batch.size());
            assertEquals(1, batch.stream().map(Req::compatibilityKey).distinct().count(), "keys mixed: " + batch);
            batch.forEach(r -> runs.merge(r.id(), 1, Integer::sum));
        }
        assertEquals(total, runs.size(), "every request ran");
        assertTrue(runs.values().stream().allMatch(n -> n == 1), "no request ran twice");
        assertTrue(maxRunning.get() <= slots, "at most " + slots + " batches at once, saw " + maxRunning.get());
    }

    @Test
    void drainFlushesRequestsWaitingForTheQueueDelayInOneBatch() throws Exception {
        List<List<Req>> batches = new CopyOnWriteArrayList<>();
        DynamicBatcher<Req> batcher = batcher(8, FOREVER, 100, 1, batches::add, noExpiry());
        List<Req> offered = List.of(req(1), req(2), req(3));
        offered.forEach(r -> assertEquals(Admission.ACCEPTED, batcher.offer(r)));
        batcher.start();

        assertTrue(batcher.drain(TEN_SECONDS));

        assertEquals(List.of(offered), batches);
        assertEquals(0, batcher.queuedItems());
    }

    @Test
    void requestsQueueWhileEverySlotIsBusyAndFormTheNextBatch() throws Exception {
        List<List<Req>> batches = new CopyOnWriteArrayList<>();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DynamicBatcher<Req> batcher = batcher(8, Duration.ZERO, 100, 1, batch -> {
            batches.add(List.copyOf(batch));
            firstStarted.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, noExpiry());
        batcher.start();

        assertEquals(Admission.ACCEPTED, batcher.offer(req(0)));
        assertTrue(firstStarted.await(10, TimeUnit.SECONDS));
        List<Req> waiting = IntStream.rangeClosed(1, 5).mapToObj(DynamicBatcherTest::req).toList();
        waiting.forEach(r -> assertEquals(Admission.ACCEPTED, batcher.offer(r)));
        assertEquals(5, batcher.queuedItems(), "the only slot is busy: nothing can leave the queue");

        release.countDown();
        assertTrue(batcher.drain(TEN_SECONDS));

        assertEquals(List.of(List.of(req(0)), waiting), batches);
    }

    static Stream<Arguments> admissions() {
        return Stream.of(
                // max queue size, batch counts offered in order, expected admissions
                Arguments.of(3, new int[] {1, 1, 1, 1}, List.of("ACCEPTED", "ACCEPTED", "ACCEPTED", "QUEUE_FULL")),
                Arguments.of(3, new int[] {2, 2, 1}, List.of("ACCEPTED", "QUEUE_FULL", "ACCEPTED")),
                Arguments.of(3, new int[] {4}, List.of("QUEUE_FULL")),
                Arguments.of(3, new int[] {3, 1}, List.of("ACCEPTED", "QUEUE_FULL")),
                Arguments.of(1, new int[] {1, 1, 1}, List.of("ACCEPTED", "QUEUE_FULL", "QUEUE_FULL")));
    }

    @ParameterizedTest(name = "[{index}] max queue {0}")
    @MethodSource("admissions")
    void offersBeyondTheMaxQueueSizeAreRefused(int maxQueue, int[] counts, List<String> expected) {
        // Not started: nothing leaves the queue, so admission depends on the offers alone.
        DynamicBatcher<Req> batcher = batcher(8, FOREVER, maxQueue, 1, batch -> {
        }, noExpiry());
        List<Req> accepted = new ArrayList<>();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            Req r = req(i, counts[i]);
            Admission a = batcher.offer(r);
            got.add(a.name());
            if (a == Admission.ACCEPTED) {
                accepted.add(r);
            }
        }

        assertEquals(expected, got);
        assertEquals(accepted.stream().mapToInt(Req::batchCount).sum(), batcher.queuedItems());
        assertEquals(accepted, batcher.shutdown(), "shutdown hands back the queued requests, in order");
        assertEquals(0, batcher.queuedItems());
    }

    @Test
    void afterDrainOffersAreClosed() throws Exception {
        DynamicBatcher<Req> batcher = batcher(4, Duration.ZERO, 10, 1, batch -> {
        }, noExpiry());
        batcher.start();

        assertTrue(batcher.drain(TEN_SECONDS), "an empty batcher drains at once");

        assertEquals(Admission.CLOSED, batcher.offer(req(1)));
        assertEquals(0, batcher.queuedItems());
    }

    @Test
    void shutdownReturnsRequestsStillQueuedAndClosesTheBatcher() {
        List<List<Req>> batches = new CopyOnWriteArrayList<>();
        DynamicBatcher<Req> batcher = batcher(8, FOREVER, 100, 2, batches::add, noExpiry());
        batcher.start();
        List<Req> offered = List.of(req(1), req(2, 3), req(3));
        offered.forEach(r -> assertEquals(Admission.ACCEPTED, batcher.offer(r)));
        assertEquals(5, batcher.queuedItems());

        List<Req> left = batcher.shutdown();

        assertEquals(offered, left, "a partial batch waiting for the (manual-clock) queue delay never ran");
        assertEquals(List.of(), batches);
        assertEquals(0, batcher.queuedItems());
        assertEquals(Admission.CLOSED, batcher.offer(req(4)));
    }

    @Test
    void requestsPastTheirDeadlineGoToTheExpiryCallbackNotTheRunner() throws Exception {
        clock.set(1_000);
        List<List<Req>> batches = new CopyOnWriteArrayList<>();
        List<Req> expired = new CopyOnWriteArrayList<>();
        CountDownLatch expiryCalled = new CountDownLatch(1);
        DynamicBatcher<Req> batcher = batcher(8, Duration.ZERO, 100, 1, batches::add, list -> {
            expired.addAll(list);
            expiryCalled.countDown();
        });
        Req late = new Req(1, 0, 500, 1, "k", 1.0);
        Req onTime = new Req(2, 0, NONE, 1, "k", 1.0);
        batcher.offer(late);
        batcher.offer(onTime);
        batcher.start();

        assertTrue(batcher.drain(TEN_SECONDS));
        // The expiry callback runs on the forming thread outside the lock; drain() does not wait for it.
        assertTrue(expiryCalled.await(10, TimeUnit.SECONDS));

        assertEquals(List.of(late), expired);
        assertEquals(List.of(List.of(onTime)), batches);
    }

    /**
     * Every accepted request must be answered once: either run or handed back by {@link DynamicBatcher#shutdown()}.
     * Here shutdown happens after the forming thread has taken a batch out of the queue but before it handed
     * it to the execution pool (the expiry callback, which runs in between, opens that window deterministically).
     */
    @Test
    void shutdownDuringDispatchLosesNoRequest() throws Exception {
        clock.set(1_000);
        CountDownLatch expirySeen = new CountDownLatch(1);
        CountDownLatch shutdownDone = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        List<Req> runs = Collections.synchronizedList(new ArrayList<>());
        DynamicBatcher<Req> batcher = batcher(8, Duration.ZERO, 100, 1, batch -> {
            runs.addAll(batch);
            ran.countDown();
        }, expired -> {
            expirySeen.countDown();
            try {
                shutdownDone.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Req late = new Req(1, 0, 500, 1, "k", 1.0);
        Req onTime = new Req(2, 0, NONE, 1, "k", 1.0);
        batcher.offer(late);
        batcher.offer(onTime);
        batcher.start();
        assertTrue(expirySeen.await(10, TimeUnit.SECONDS));

        List<Req> left = batcher.shutdown();
        shutdownDone.countDown();

        boolean answered = left.contains(onTime) || (ran.await(5, TimeUnit.SECONDS) && runs.contains(onTime));
        assertTrue(answered, "request " + onTime + " was neither run nor returned by shutdown (returned " + left + ")");
    }
}
