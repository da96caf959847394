package dev.stratus.dataplane.worker.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.BatchingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class BatchFormationTest {
    static final long NONE = Long.MAX_VALUE;
    /** Max batch 4, max queue delay 10 µs. */
    static final BatchingPolicy POLICY = new BatchingPolicy(4, Duration.ofNanos(10_000), 100);
    static final long DELAY = 10_000;
    /** Execution time at scale 1.0 is 1000 ns per item (only size 1 is measured, others scale linearly). */
    static final long PER_ITEM = 1_000;

    record Item(String id, long enqueuedAtNanos, long deadlineNanos, int batchCount, Object compatibilityKey,
            double costScale) implements BatchItem {
        @Override
        public String toString() {
            return id;
        }
    }

    static Item item(String id, long enqueued, long deadline) {
        return new Item(id, enqueued, deadline, 1, "k", 1.0);
    }

    static Item item(String id, long enqueued, long deadline, int count) {
        return new Item(id, enqueued, deadline, count, "k", 1.0);
    }

    static Item keyed(String id, long enqueued, Object key) {
        return new Item(id, enqueued, NONE, 1, key, 1.0);
    }

    static LatencyEstimator latency() {
        LatencyEstimator l = new LatencyEstimator(POLICY.maxBatchSize());
        l.observe(1, PER_ITEM, 1.0);
        return l;
    }

    static BatchFormation.Decision<Item> decide(List<Item> queue, long now, boolean canDispatch, boolean flush) {
        return BatchFormation.decide(queue, now, POLICY, latency(), canDispatch, flush);
    }

    @Test
    void estimatorFixtureIsLinear() {
        // Guards the arithmetic of the expectations below.
        LatencyEstimator l = latency();
        assertEquals(1_000, l.estimateNanos(1, 1.0));
        assertEquals(2_000, l.estimateNanos(2, 1.0));
        assertEquals(4_000, l.estimateNanos(4, 1.0));
    }

    @Test
    void fullBatchIsDispatchedImmediately() {
        List<Item> queue = List.of(item("a", 0, NONE), item("b", 0, NONE), item("c", 0, NONE),
                item("d", 0, NONE), item("e", 0, NONE));

        BatchFormation.Decision<Item> d = decide(queue, 0, true, false);

        assertTrue(d.dispatch());
        assertEquals(queue.subList(0, 4), d.batch());
        assertEquals(List.of(), d.expired());
        assertEquals(NONE, d.wakeAtNanos());
    }

    @ParameterizedTest(name = "now={0}")
    @CsvSource({
        // now,  dispatch, wakeAt (oldest enqueued at 100, delay 10 000)
        "500,    false,    10100",
        "10099,  false,    10100",
        "10100,  true,     " + Long.MAX_VALUE,
        "50000,  true,     " + Long.MAX_VALUE,
    })
    void partialBatchWaitsForTheMaxQueueDelayOfTheOldest(long now, boolean dispatch, long wakeAt) {
        List<Item> queue = List.of(item("a", 100, NONE), item("b", 200, NONE));

        BatchFormation.Decision<Item> d = decide(queue, now, true, false);

        assertEquals(dispatch, d.dispatch());
        assertEquals(dispatch ? queue : List.of(), d.batch());
        assertEquals(List.of(), d.expired());
        assertEquals(wakeAt, d.wakeAtNanos());
    }

    @Test
    void flushDispatchesAPartialBatchAtOnce() {
        List<Item> queue = List.of(item("a", 100, NONE), item("b", 200, NONE));

        BatchFormation.Decision<Item> d = decide(queue, 100, true, true);

        assertEquals(queue, d.batch());
        assertEquals(NONE, d.wakeAtNanos());
    }

    @Test
    void incompatibleRequestsAreNotMixed() {
        Item a = keyed("a", 0, "shape-1");
        Item b = keyed("b", 0, "shape-2");
        Item c = keyed("c", 0, "shape-1");
        Item d2 = keyed("d", 0, "shape-2");

        BatchFormation.Decision<Item> d = decide(List.of(a, b, c, d2), DELAY, true, false);

        assertEquals(List.of(a, c), d.batch(), "only the head's key");
        assertEquals(List.of(), d.expired(), "the others stay queued");
    }

    static Stream<Arguments> sizes() {
        return Stream.of(
                // counts in queue order, expected batch indices, full (dispatched before the delay)
                Arguments.of(new int[] {3, 1, 1}, new int[] {0, 1}, true),
                Arguments.of(new int[] {1, 3}, new int[] {0, 1}, true),
                Arguments.of(new int[] {4, 1}, new int[] {0}, true),
                Arguments.of(new int[] {2, 1}, new int[] {0, 1}, false),
                // arrival order is kept: once the next request does not fit, the batch is closed
                Arguments.of(new int[] {3, 2, 1}, new int[] {0}, false));
    }

    @ParameterizedTest(name = "[{index}] counts {0}")
    @MethodSource("sizes")
    void batchRespectsMaxBatchSizeCountingEachRequestsItems(int[] counts, int[] expected, boolean full) {
        List<Item> queue = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            queue.add(item("r" + i, 0, NONE, counts[i]));
        }
        List<Item> expectedBatch = Arrays.stream(expected).mapToObj(queue::get).toList();

        // Before the delay: only a full batch goes.
        BatchFormation.Decision<Item> early = decide(queue, 0, true, false);
        assertEquals(full ? expectedBatch : List.of(), early.batch());
        assertEquals(full ? NONE : DELAY, early.wakeAtNanos());

        // After the delay (or when flushing) the same batch goes anyway.
        assertEquals(expectedBatch, decide(queue, DELAY, true, false).batch());
        assertEquals(expectedBatch, decide(queue, 0, true, true).batch());
        int size = expectedBatch.stream().mapToInt(Item::batchCount).sum();
        assertTrue(size <= POLICY.maxBatchSize());
    }

    @ParameterizedTest(name = "deadline now+{0}, count {1} -> expired {2}")
    @CsvSource({
        // deadline offset, batch count, expired (alone it needs count * 1000 ns)
        "500,   1, true",
        "999,   1, true",
        "1000,  1, false",   // exactly meets its deadline
        "5000,  1, false",
        "2999,  3, true",
        "3000,  3, false",
        "-1,    1, true",    // deadline already past
    })
    void requestThatCannotMeetItsDeadlineEvenAloneIsExpired(long offset, int count, boolean expired) {
        long now = 50_000;
        Item late = item("late", 0, now + offset, count);
        Item other = item("other", 0, NONE);

        BatchFormation.Decision<Item> d = decide(List.of(late, other), now, true, true);

        assertEquals(expired ? List.of(late) : List.of(), d.expired());
        assertEquals(!expired, d.batch().contains(late), "a live head is always in the batch");
        assertFalse(d.expired().contains(other), "a request without deadline never expires");
        assertTrue(d.dispatch());
    }

    @Test
    void allExpiredGivesNoBatchAndNoWake() {
        BatchFormation.Decision<Item> d = decide(List.of(item("a", 0, 10), item("b", 0, 20)), 1_000, true, false);

        assertEquals(2, d.expired().size());
        assertFalse(d.dispatch());
        assertEquals(NONE, d.wakeAtNanos());
    }

    @Test
    void requestThatWouldBreakTheTightestDeadlineIsSkippedButStaysQueued() {
        long now = 0;
        // a alone takes 1000 <= 1500, a+b would take 2000 > 1500: b must wait for the next batch.
        Item a = item("a", 0, now + 1_500);
        Item b = item("b", 0, NONE);
        Item c = item("c", 0, NONE);

        BatchFormation.Decision<Item> d = decide(List.of(a, b, c), now, true, false);

        assertEquals(List.of(a), d.batch());
        assertEquals(List.of(), d.expired(), "b and c are neither batched nor expired");
    }

    @Test
    void laterRequestWithATightDeadlineIsSkippedWithoutExpiring() {
        Item a = item("a", 0, NONE);
        Item b = item("b", 0, 1_500);  // alone: 1000 <= 1500; together with a: 2000 > 1500
        Item c = item("c", 0, NONE);

        BatchFormation.Decision<Item> d = decide(List.of(a, b, c), 0, true, true);

        assertEquals(List.of(a, c), d.batch());
        assertEquals(List.of(), d.expired());
    }

    static Stream<Arguments> busy() {
        return Stream.of(
                // queue, now, expected wakeAt when no slot is free
                Arguments.of(List.of(item("a", 0, NONE), item("b", 0, NONE)), 0L, NONE),
                Arguments.of(List.of(item("a", 0, NONE)), Long.MAX_VALUE - 1, NONE),  // no overflow
                Arguments.of(List.of(item("a", 0, 50_000), item("b", 0, 20_000)), 0L, 19_001L),
                Arguments.of(List.of(item("a", 0, NONE), item("b", 0, 20_000, 2)), 0L, 18_001L),
                Arguments.of(List.of(item("a", 0, 20_000), item("b", 0, NONE)), 19_000L, 19_001L));
    }

    @ParameterizedTest(name = "[{index}] now={1}")
    @MethodSource("busy")
    void withoutAFreeSlotOnlyExpiryIsDecided(List<Item> queue, long now, long wakeAt) {
        BatchFormation.Decision<Item> d = decide(queue, now, false, false);

        assertFalse(d.dispatch());
        assertEquals(List.of(), d.batch());
        assertEquals(List.of(), d.expired());
        assertEquals(wakeAt, d.wakeAtNanos());
        assertTrue(d.wakeAtNanos() > now, "never a wake-up in the past (or a negative, overflowed one)");
    }

    @Test
    void withoutAFreeSlotEvenFlushDoesNotDispatchButStillExpires() {
        Item late = item("late", 0, 500);
        Item ok = item("ok", 0, NONE);

        BatchFormation.Decision<Item> d = decide(List.of(late, ok), 1_000, false, true);

        assertEquals(List.of(late), d.expired());
        assertEquals(List.of(), d.batch());
        assertEquals(NONE, d.wakeAtNanos());
    }

    @ParameterizedTest(name = "deadline {0}, now {1}")
    @CsvSource({
        // A full batch (4 items) would take 4000 ns, so it must start by deadline - 4000 (before the 10 000 delay).
        // The head alone expires at deadline - 1000, i.e. it is woken at deadline - 999 at the latest.
        // deadline, now,  dispatch, wakeAt
        "6000,       0,    false,    2000",
        "6000,       1999, false,    2000",
        "6000,       2000, true,     " + Long.MAX_VALUE,
        "3000,       0,    true,     " + Long.MAX_VALUE,   // even a full batch could not make it: go now
        "20000,      0,    false,    10000",               // deadline is loose: the queue delay rules
    })
    void tightDeadlineDispatchesBeforeTheQueueDelay(long deadline, long now, boolean dispatch, long wakeAt) {
        Item head = item("a", 0, deadline);
        Item next = item("b", 0, NONE);

        BatchFormation.Decision<Item> d = decide(List.of(head, next), now, true, false);

        assertEquals(dispatch, d.dispatch());
        assertEquals(wakeAt, d.wakeAtNanos());
        if (dispatch) {
            assertTrue(d.batch().contains(head));
        }
    }

    @Test
    void waitingWakesForTheNextExpiryOfAnotherKeyBeforeTheDelay() {
        Item head = keyed("a", 0, "k1");
        Item other = new Item("b", 0, 5_000, 1, "k2", 1.0);  // latest start 4000: expires from 4001

        BatchFormation.Decision<Item> d = decide(List.of(head, other), 0, true, false);

        assertFalse(d.dispatch());
        assertEquals(4_001, d.wakeAtNanos());
    }

    @Test
    void costScaleOfTheHeadScalesTheDeadlineCheck() {
        // At scale 2 an item takes 2000 ns: deadline 3000 fits one item, not two.
        Item a = new Item("a", 0, 3_000, 1, "k", 2.0);
        Item b = new Item("b", 0, NONE, 1, "k", 2.0);

        BatchFormation.Decision<Item> d = decide(List.of(a, b), 0, true, true);

        assertEquals(List.of(a), d.batch());
        assertEquals(List.of(), d.expired());
    }

    @Test
    void emptyQueueGivesNothingToDo() {
        BatchFormation.Decision<Item> d = decide(List.of(), 0, true, true);
        assertFalse(d.dispatch());
        assertEquals(List.of(), d.expired());
        assertEquals(NONE, d.wakeAtNanos());
    }
}
