package dev.stratus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Good requests sent in a loop from a few threads while a test does something else (sends bad input, say); closing
 * it stops them and asserts that every one was answered right and that enough of them ran to mean something.
 */
public final class GoodTraffic implements AutoCloseable {
    /** Sends request {@code i} of {@code thread}; returns null when answered right, else what was wrong. */
    public interface Request {
        String send(int thread, int i) throws Exception;
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger good = new AtomicInteger();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService threads;

    private GoodTraffic(int threadCount, Request request) {
        threads = Executors.newFixedThreadPool(threadCount);
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            threads.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    try {
                        String wrong = request.send(thread, i);
                        if (wrong == null) {
                            good.incrementAndGet();
                        } else {
                            failures.add(wrong);
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
        }
    }

    public static GoodTraffic start(int threads, Request request) {
        return new GoodTraffic(threads, request);
    }

    /** Good requests answered right so far. */
    public int good() {
        return good.get();
    }

    /**
     * Runs {@code round} (bad requests, say) again and again until more than ten good requests ran beside it, for
     * two minutes at most: on a loaded machine one round can finish before the good traffic has made ten requests.
     */
    public void besideRounds(Round round) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        do {
            round.run();
        } while (good.get() <= 10 && System.nanoTime() < deadline);
    }

    /** One round of what runs beside the good traffic. */
    public interface Round {
        void run() throws Exception;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        threads.shutdown();
        assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS), "good traffic did not stop");
        assertEquals(List.of(), failures, "good requests must all succeed, uncorrupted");
        assertTrue(good.get() > 10, "good traffic flowed during the test: " + good.get());
    }
}
