package dev.stratus.backend.local;

import dev.stratus.catalog.ModelCatalog;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.dataplane.protocol.OipBinaryRequest;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A few real requests through a new replica's HTTP path before it counts as ready. The worker's own warm-up
 * runs the model at every batch size, but the request path (HTTP, decoding, encoding) is still cold: the first
 * requests of a fresh JVM take tens of milliseconds more, which a promoted standby would pay under load. The same
 * holds for a freshly started gateway (the demo warms it before its load).
 */
public final class HttpWarmUp {
    static final int REQUESTS = 30;
    static final Duration BUDGET = Duration.ofSeconds(2);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private HttpWarmUp() {
    }

    /** The entry the worker serves a model with (for models outside the samples: inferred or from a repository). */
    private static java.util.Optional<ModelSpec> servedEntry(HttpClient http, int port, String model) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v2/models/" + model + "/config")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            com.fasterxml.jackson.databind.JsonNode entry = JSON.readTree(r.body()).get("entry");
            return r.statusCode() == 200 && entry != null ? java.util.Optional.of(ModelCatalog.entry(entry,
                    "worker " + port)) : java.util.Optional.empty();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** Sends up to {@link #REQUESTS} sample requests per model, within {@link #BUDGET}; failures are ignored. */
    static void run(int port, List<String> models) {
        run(port, models, REQUESTS, BUDGET);
    }

    /** Sends up to {@code requests} sample requests per model, one at a time, within {@code budget}. */
    public static void run(int port, List<String> models, int requests, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            for (String model : models) {
                ModelSpec spec = ModelCatalog.bundled().find(model).or(() -> servedEntry(http, port, model))
                        .orElse(null);
                if (spec == null) {
                    continue; // the worker did not say how to build a request (the model is not READY)
                }
                OipBinaryRequest body = OipBinaryRequest.of(SampleInputs.of(spec, 1, 7).values());
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/"
                                + model + "/infer"))
                        .header(OipBinaryRequest.HEADER_LENGTH, Integer.toString(body.headerLength()))
                        .header("Content-Type", OipBinaryRequest.CONTENT_TYPE).timeout(Duration.ofSeconds(2))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.body())).build();
                for (int i = 0; i < requests && System.nanoTime() < deadline; i++) {
                    http.send(request, HttpResponse.BodyHandlers.discarding());
                }
            }
        } catch (IOException e) {
            // warming is best effort: readiness was already checked
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
