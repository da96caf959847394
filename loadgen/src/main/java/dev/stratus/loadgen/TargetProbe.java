package dev.stratus.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Checks before a run that something answers HTTP at the target, so that a typo fails fast instead of as 100% errors. */
public final class TargetProbe {
    private TargetProbe() {
    }

    /** @return empty when the target answered with any HTTP status, else why it could not be reached */
    public static Optional<String> unreachable(URI target, Duration timeout) {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .build()) {
            HttpRequest ping = HttpRequest.newBuilder(target.resolve("/v2/health/live")).timeout(timeout).GET().build();
            client.send(ping, HttpResponse.BodyHandlers.discarding());
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }
}
