package dev.stratus.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Waiting on a {@code stratus serve} process started by a test, and reading its log for failure messages. */
public final class ServeProcess {
    private ServeProcess() {
    }

    /** Polls the gateway's readiness until 200; fails with the log's tail when the process exits or time runs out. */
    public static void awaitReady(Process serve, OipClient client, Path log, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(serve.isAlive(), "serve exited: " + tail(log));
            try {
                if (client.get("/v2/health/ready").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("serve not ready: " + tail(log));
    }

    /** Stops a serve process (it drains its workers), then deletes the test's folder. */
    public static void stopAndDelete(Process serve, Path dir) throws Exception {
        if (serve != null && serve.isAlive()) {
            serve.destroy();
            serve.waitFor(90, java.util.concurrent.TimeUnit.SECONDS);
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The last few thousand characters of a log. */
    public static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 6000));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
