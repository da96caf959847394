package dev.stratus.core.autoscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventLogTest {

    static ScalingEvent event(long at) {
        return new ScalingEvent(at, "m", ScalingEvent.Kind.REPLAN, 1, 2, "t=" + at);
    }

    static List<Long> times(List<ScalingEvent> events) {
        return events.stream().map(ScalingEvent::atMillis).toList();
    }

    /** Records events at times 1..recorded. */
    static EventLog filled(int capacity, int recorded) {
        var log = new EventLog(capacity);
        for (long t = 1; t <= recorded; t++) {
            log.record(event(t));
        }
        return log;
    }

    @ParameterizedTest(name = "capacity {0}, {1} recorded, recent({2}) -> first {3}, count {4}")
    @CsvSource({
            "4, 3, 10, 1, 3",
            "4, 4, 10, 1, 4",
            "4, 10, 10, 7, 4",    // wrapped: the oldest six were overwritten
            "4, 10, 2, 9, 2",
            "1, 5, 3, 5, 1",
            "4, 10, 0, 0, 0"
    })
    void boundedAndInRecordingOrder(int capacity, int recorded, int n, long first, int count) {
        EventLog log = filled(capacity, recorded);
        List<Long> got = times(log.recent(n));
        assertEquals(count, got.size());
        for (int i = 0; i < count; i++) {
            assertEquals(first + i, got.get(i));
        }
        assertEquals(Math.min(capacity, recorded), log.size());
        assertEquals(recorded, log.recorded());
    }

    @ParameterizedTest(name = "capacity {0}, {1} recorded, since {2} -> {3}")
    @CsvSource({
            "8, 5, 3, '3 4 5'",
            "8, 5, 6, ''",
            "4, 10, 0, '7 8 9 10'",
            "4, 10, 9, '9 10'"
    })
    void sinceFiltersRetainedEventsByTime(int capacity, int recorded, long since, String expected) {
        List<Long> want = expected.isBlank() ? List.of()
                : java.util.Arrays.stream(expected.split(" ")).map(Long::valueOf).toList();
        assertEquals(want, times(filled(capacity, recorded).since(since)));
    }

    @Test
    void concurrentRecordersNeitherLoseCountsNorOverflow() throws InterruptedException {
        var log = new EventLog(100);
        int threads = 4;
        int each = 2_000;
        var start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            long base = w * 1_000_000L;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < each; i++) {
                    log.record(event(base + i));
                    log.recent(5);
                }
            });
            t.start();
            workers.add(t);
        }
        start.countDown();
        for (Thread t : workers) {
            t.join();
        }
        assertEquals((long) threads * each, log.recorded());
        assertEquals(100, log.size());
        // Each recorder's own events stay in its order.
        List<Long> got = times(log.recent(100));
        for (int w = 0; w < threads; w++) {
            long lo = w * 1_000_000L;
            List<Long> mine = got.stream().filter(t -> t >= lo && t < lo + 1_000_000).toList();
            for (int i = 1; i < mine.size(); i++) {
                assertTrue(mine.get(i) > mine.get(i - 1));
            }
        }
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new EventLog(0));
        assertThrows(IllegalArgumentException.class, () -> new EventLog(2).recent(-1));
        assertThrows(NullPointerException.class, () -> new EventLog(2).record(null));
        assertThrows(IllegalArgumentException.class,
                () -> new ScalingEvent(0, "m", ScalingEvent.Kind.DRAIN, -1, 0, "x"));
    }
}
