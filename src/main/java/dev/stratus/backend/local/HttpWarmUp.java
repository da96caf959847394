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

    private HttpWarmUp() {
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
                ModelSpec spec = ModelCatalog.bundled().find(model).orElse(null);
                if (spec == null) {
                    continue; // a model outside the bundled catalog: no sample inputs to send
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
