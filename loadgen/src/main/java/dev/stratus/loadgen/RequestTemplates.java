package dev.stratus.loadgen;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Pre-built requests for one model. Generating megabytes of random tensor data per request would load the
 * client's CPU (shared with the server on small machines), so a few distinct bodies are made up front and
 * used in turn.
 */
final class RequestTemplates {
    /** Bodies per model: enough to defeat trivial caching, capped in total size. */
    private static final int MAX_VARIANTS = 8;
    private static final long MAX_BYTES_PER_MODEL = 32L << 20;

    private final HttpRequest[] requests;
    private int nextIndex;

    RequestTemplates(URI target, ModelSpec model, SplittableRandom rng, Duration timeout) {
        long size = model.inputs().stream().mapToLong(InputSpec::byteSize).sum() + 512;
        // Inputs all from files or constants make one body: variants would be copies.
        boolean fixed = model.inputs().stream().allMatch(in -> in.file() != null || in.value() != null);
        int variants = fixed ? 1 : (int) Math.max(1, Math.min(MAX_VARIANTS, MAX_BYTES_PER_MODEL / size));
        URI uri = target.resolve("/v2/models/" + model.name() + "/infer");
        requests = new HttpRequest[variants];
        for (int i = 0; i < variants; i++) {
            OipBody body = OipBody.encode(model.inputs(), rng);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", OipBody.CONTENT_TYPE)
                    .header(OipBody.HEADER_LENGTH, Integer.toString(body.headerLength()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
            if (model.deadlineMs() > 0) {
                b.header("Stratus-Deadline-Ms", Long.toString(model.deadlineMs()));
            }
            requests[i] = b.build();
        }
    }

    /** Only called from the single scheduler thread. */
    HttpRequest next() {
        HttpRequest r = requests[nextIndex];
        nextIndex = (nextIndex + 1) % requests.length;
        return r;
    }
}
