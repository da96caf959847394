package dev.stratus.core.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    static final long DELAY = 10_000;
    /** Max batch 4, max queue delay 10 µs, early drop under overload. */
    static final BatchFormation.Limits LIMITS = new BatchFormation.Limits(4, DELAY, OverloadRule.DROP_HEAD);
    /** Execution time at scale 1.0 is 1000 ns per item. */
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

    static final BatchLatency LATENCY = (size, scale) -> (long) (size * PER_ITEM * scale);

    /** The decision as lists of the queue's items. */
    record Decision(List<Item> expired, List<Item> dropped, List<Item> batch, long wakeAtNanos) {
        boolean dispatch() {
            return !batch.isEmpty();
        }
    }

    static Decision decide(List<Item> queue, long now, boolean canDispatch, boolean flush) {
        return decide(queue, now, LIMITS, canDispatch, flush);
    }

    static Decision decide(List<Item> queue, long now, BatchFormation.Limits limits, boolean canDispatch,
            boolean flush) {
        BatchDecision d = new BatchDecision();
        BatchFormation.decide(BatchQueue.of(queue), now, limits, LATENCY, canDispatch, flush, d);
        List<Item> expired = new ArrayList<>();
        List<Item> dropped = new ArrayList<>();
        List<Item> batch = new ArrayList<>();
        for (int k = 0; k < d.expiredCount(); k++) {
            expired.add(queue.get(d.expired(k)));
        }
        for (int k = 0; k < d.droppedCount(); k++) {
            dropped.add(queue.get(d.dropped(k)));
        }
        for (int k = 0; k < d.batchCount(); k++) {
            batch.add(queue.get(d.batch(k)));
        }
        assertEquals(batch.stream().mapToInt(Item::batchCount).sum(), d.batchSize());
        return new Decision(expired, dropped, batch, d.wakeAtNanos());
    }

    @Test
    void fullBatchIsDispatchedImmediately() {
        List<Item> queue = List.of(item("a", 0, NONE), item("b", 0, NONE), item("c", 0, NONE),
                item("d", 0, NONE), item("e", 0, NONE));

        Decision d = decide(queue, 0, true, false);

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

        Decision d = decide(queue, now, true, false);

        assertEquals(dispatch, d.dispatch());
        assertEquals(dispatch ? queue : List.of(), d.batch());
        assertEquals(List.of(), d.expired());
        assertEquals(wakeAt, d.wakeAtNanos());
    }

    @Test
    void flushDispatchesAPartialBatchAtOnce() {
        List<Item> queue = List.of(item("a", 100, NONE), item("b", 200, NONE));

        Decision d = decide(queue, 100, true, true);

        assertEquals(queue, d.batch());
        assertEquals(NONE, d.wakeAtNanos());
    }

    @Test
    void incompatibleRequestsAreNotMixed() {
        Item a = keyed("a", 0, "shape-1");
        Item b = keyed("b", 0, "shape-2");
        Item c = keyed("c", 0, "shape-1");
        Item d2 = keyed("d", 0, "shape-2");

        Decision d = decide(List.of(a, b, c, d2), DELAY, true, false);

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
        Decision early = decide(queue, 0, true, false);
        assertEquals(full ? expectedBatch : List.of(), early.batch());
        assertEquals(full ? NONE : DELAY, early.wakeAtNanos());

        // After the delay (or when flushing) the same batch goes anyway.
        assertEquals(expectedBatch, decide(queue, DELAY, true, false).batch());
        assertEquals(expectedBatch, decide(queue, 0, true, true).batch());
        int size = expectedBatch.stream().mapToInt(Item::batchCount).sum();
        assertTrue(size <= LIMITS.maxBatch());
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

        // Expiry is the same under every overload rule; SHRINK keeps a live head in the batch even when the two
        // fill it (count 3), which is what this test looks at.
        Decision d = decide(List.of(late, other), now, shrink(), true, true);

        assertEquals(expired ? List.of(late) : List.of(), d.expired());
        assertEquals(!expired, d.batch().contains(late), "a live head is always in the batch");
        assertFalse(d.expired().contains(other), "a request without deadline never expires");
        assertTrue(d.dispatch());
    }

    @Test
    void allExpiredGivesNoBatchAndNoWake() {
        Decision d = decide(List.of(item("a", 0, 10), item("b", 0, 20)), 1_000, true, false);

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

        Decision d = decide(List.of(a, b, c), now, true, false);

        assertEquals(List.of(a), d.batch());
        assertEquals(List.of(), d.expired(), "b and c are neither batched nor expired");
    }

    @Test
    void laterRequestWithATightDeadlineIsSkippedWithoutExpiring() {
        Item a = item("a", 0, NONE);
        Item b = item("b", 0, 1_500);  // alone: 1000 <= 1500; together with a: 2000 > 1500
        Item c = item("c", 0, NONE);

        Decision d = decide(List.of(a, b, c), 0, true, true);

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
        Decision d = decide(queue, now, false, false);

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

        Decision d = decide(List.of(late, ok), 1_000, false, true);

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

        Decision d = decide(List.of(head, next), now, true, false);

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

        Decision d = decide(List.of(head, other), 0, true, false);

        assertFalse(d.dispatch());
        assertEquals(4_001, d.wakeAtNanos());
    }

    @Test
    void costScaleOfTheHeadScalesTheDeadlineCheck() {
        // At scale 2 an item takes 2000 ns: deadline 3000 fits one item, not two.
        Item a = new Item("a", 0, 3_000, 1, "k", 2.0);
        Item b = new Item("b", 0, NONE, 1, "k", 2.0);

        Decision d = decide(List.of(a, b), 0, true, true);

        assertEquals(List.of(a), d.batch());
        assertEquals(List.of(), d.expired());
    }

    @Test
    void emptyQueueGivesNothingToDo() {
        Decision d = decide(List.of(), 0, true, true);
        assertFalse(d.dispatch());
        assertEquals(List.of(), d.expired());
        assertEquals(NONE, d.wakeAtNanos());
    }

    static BatchFormation.Limits shrink() {
        return new BatchFormation.Limits(LIMITS.maxBatch(), DELAY, OverloadRule.SHRINK);
    }

    static BatchFormation.Limits rule(OverloadRule rule) {
        return new BatchFormation.Limits(LIMITS.maxBatch(), DELAY, rule);
    }

    static Stream<Arguments> overloadRules() {
        // Head deadline 2500 at now 0: alone (1000 ns) or with one more (2000 ns) it makes it, with two more
        // (3000 ns) or in a full batch of 4 (4000 ns) it does not. queued: the head plus requests without deadline.
        return Stream.of(
                // rule, queued, dropped heads, batch (positions)
                Arguments.of(OverloadRule.DROP_HEAD, 6, 1, new int[] {1, 2, 3, 4}),
                Arguments.of(OverloadRule.DROP_HEAD, 5, 1, new int[] {1, 2, 3, 4}),
                Arguments.of(OverloadRule.DROP_HEAD, 4, 1, new int[] {1, 2, 3}),
                Arguments.of(OverloadRule.DROP_HEAD, 3, 0, new int[] {0, 1}),  // less than a full batch: shrink
                Arguments.of(OverloadRule.SLIDING_WINDOW, 6, 1, new int[] {1, 2, 3, 4}),
                Arguments.of(OverloadRule.SLIDING_WINDOW, 3, 1, new int[] {1, 2}),  // Nexus drops whatever the size
                Arguments.of(OverloadRule.SLIDING_WINDOW, 2, 0, new int[] {0, 1}),  // offered 2 = 2000 ns: meets
                Arguments.of(OverloadRule.SHRINK, 6, 0, new int[] {0, 1}),
                Arguments.of(OverloadRule.SHRINK, 3, 0, new int[] {0, 1}));
    }

    @ParameterizedTest(name = "{0}, {1} queued")
    @MethodSource("overloadRules")
    void aHeadTheOfferedBatchCannotServeIsDroppedOrTheBatchShrinks(OverloadRule rule, int queued, int droppedHeads,
            int[] batch) {
        List<Item> queue = new ArrayList<>();
        queue.add(item("head", 0, 2_500));
        for (int i = 1; i < queued; i++) {
            queue.add(item("r" + i, 0, NONE));
        }

        Decision d = decide(queue, 0, rule(rule), true, true);

        assertEquals(queue.subList(0, droppedHeads), d.dropped());
        assertEquals(Arrays.stream(batch).mapToObj(queue::get).toList(), d.batch());
        assertEquals(List.of(), d.expired(), "nothing is late even alone");
    }

    @Test
    void successiveHeadsAreDroppedUntilOneMakesItInAFullBatch() {
        // Deadlines 1500, 2500, 3500: none makes a full batch (4000 ns) but the fourth (4500) does.
        List<Item> queue = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            queue.add(item("r" + i, 0, 1_500 + 1_000L * i));
        }

        Decision d = decide(queue, 0, true, false);

        assertEquals(queue.subList(0, 3), d.dropped());
        assertEquals(queue.subList(3, 7), d.batch(), "a full batch from the first head that makes it");
        assertEquals(List.of(), d.expired());
    }

    @Test
    void expiredAndDroppedAreReportedApart() {
        long now = 10_000;
        Item expired = item("expired", 0, 10_500);   // alone it needs until 11 000
        Item dropped = item("dropped", 0, 12_000);   // alone yes, in a full batch (14 000) no
        List<Item> queue = new ArrayList<>(List.of(expired, dropped));
        for (int i = 0; i < 4; i++) {
            queue.add(item("r" + i, 0, NONE));
        }

        Decision d = decide(queue, now, true, false);

        assertEquals(List.of(expired), d.expired());
        assertEquals(List.of(dropped), d.dropped());
        assertEquals(queue.subList(2, 6), d.batch());
    }

    @Test
    void withoutAFreeSlotNothingIsDroppedEarly() {
        List<Item> queue = new ArrayList<>(List.of(item("head", 0, 3_000)));
        for (int i = 0; i < 5; i++) {
            queue.add(item("r" + i, 0, NONE));
        }

        Decision d = decide(queue, 0, false, false);

        assertEquals(List.of(), d.dropped(), "the offered batch is decided when a slot frees up");
        assertEquals(2_001, d.wakeAtNanos(), "woken when the head would expire");
    }
}
