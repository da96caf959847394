package dev.stratus.dataplane.worker.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.core.model.LoadReport;
import dev.stratus.core.model.ModelState;
import dev.stratus.dataplane.http.ContentCoding;
import dev.stratus.dataplane.http.InferenceBody;
import dev.stratus.dataplane.http.Methods;
import dev.stratus.dataplane.http.RequestBody;
import dev.stratus.dataplane.protocol.EncodedBody;
import dev.stratus.dataplane.protocol.InferenceRequest;
import dev.stratus.dataplane.protocol.InferenceResponse;
import dev.stratus.dataplane.protocol.OipRequestDecoder;
import dev.stratus.dataplane.protocol.OipResponseEncoder;
import dev.stratus.dataplane.protocol.ProtocolException;
import dev.stratus.dataplane.worker.runtime.ModelRuntime;
import dev.stratus.dataplane.worker.runtime.ServedModel;
import dev.stratus.dataplane.worker.runtime.WorkerInference;
import dev.stratus.dataplane.worker.runtime.WorkerRuntime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The worker's Open Inference Protocol (KServe v2) REST API, on Vert.x routes so that request bodies are read
 * once into a buffer and binary tensors are sliced from it without copies.
 *
 * <p>Status codes: 400 malformed or mismatched request, 404 unknown model or version, 413 body over the limit,
 * 429 model queue full, 503 model not ready or worker draining, 504 deadline passed or cannot be met, 500 a
 * runtime failure. Every error carries the protocol's {@code {"error": "..."}} body.
 */
public final class WorkerHttpApi {
    public static final String DEADLINE_HEADER = "Stratus-Deadline-Ms";
    /** JSON tensor data above this size is decoded and encoded off the event loop. */
    private static final int INLINE_JSON_LIMIT = 64 * 1024;

    private final WorkerRuntime runtime;
    private final WorkerInference inference;
    private final long maxRequestBytes;
    private final int compressMinBytes;
    private final String serverVersion;
    private final OipRequestDecoder decoder = new OipRequestDecoder();
    private final OipResponseEncoder encoder = new OipResponseEncoder();
    private final ObjectMapper json = new ObjectMapper();

    /** @param compressMinBytes answers with fewer tensor bytes are never compressed (docs/worker.md) */
    public WorkerHttpApi(WorkerInference inference, long maxRequestBytes, int compressMinBytes,
            String serverVersion) {
        this.runtime = inference.runtime();
        this.inference = inference;
        this.maxRequestBytes = maxRequestBytes;
        this.compressMinBytes = compressMinBytes;
        this.serverVersion = serverVersion;
    }

    public void mount(Router router) {
        Methods.health(router, "/v2/health/live", ctx -> ctx.response().setStatusCode(200).end());
        Methods.health(router, "/v2/health/ready", ctx -> ctx.response().setStatusCode(runtime.ready() ? 200 : 400)
                .end());
        Methods.health(router, "/v2/models/:model/ready", this::modelReady);
        Methods.health(router, "/v2/models/:model/versions/:version/ready", this::modelReady);
        Methods.only(router, HttpMethod.GET, "/v2", this::serverMetadata);
        Methods.only(router, HttpMethod.GET, "/v2/models/:model", this::modelMetadata);
        Methods.only(router, HttpMethod.GET, "/v2/models/:model/versions/:version", this::modelMetadata);
        Methods.only(router, HttpMethod.GET, "/v2/models/:model/config", this::modelConfig);
        Methods.only(router, HttpMethod.GET, "/v2/models/:model/versions/:version/config", this::modelConfig);
        Methods.only(router, HttpMethod.GET, "/v2/models/:model/stats", this::modelStats);
        Methods.only(router, HttpMethod.GET, "/v2/models/:model/versions/:version/stats", this::modelStats);
        Methods.only(router, HttpMethod.POST, "/v2/models/:model/infer", this::infer);
        Methods.only(router, HttpMethod.POST, "/v2/models/:model/versions/:version/infer", this::infer);
    }

    private void serverMetadata(RoutingContext ctx) {
        ObjectNode body = json.createObjectNode().put("name", WorkerInference.SERVER_NAME).put("version", serverVersion);
        EncodedBody.EXTENSIONS.forEach(body.putArray("extensions")::add);
        sendJson(ctx, 200, body);
    }

    private void modelMetadata(RoutingContext ctx) {
        ModelRuntime m = resolve(ctx);
        if (m == null) {
            return;
        }
        WorkerInference.Metadata meta = inference.metadata(m);
        ObjectNode body = json.createObjectNode().put("name", meta.name());
        ArrayNode versions = body.putArray("versions");
        meta.versions().forEach(versions::add);
        body.put("platform", WorkerInference.PLATFORM);
        ArrayNode inputs = body.putArray("inputs");
        meta.inputs().forEach(t -> describe(inputs.addObject(), t.name(), t.datatype().name(), t.shape()));
        ArrayNode outputs = body.putArray("outputs");
        meta.outputs().forEach(t -> describe(outputs.addObject(), t.name(), t.datatype().name(), t.shape()));
        // Extensions of the protocol's metadata: which version answered, the default, and how requests batch.
        ServedModel served = runtime.model(m.name()).orElseThrow();
        body.putObject("parameters").put("version", m.version())
                .put("default_version", served.defaultVersion().version())
                .put("state", m.state().name())
                .put("max_batch_size", m.policy().maxBatchSize())
                .put("batching", m.state() == ModelState.FAILED ? "not served: " + m.failure() : m.batching());
        sendJson(ctx, 200, body);
    }

    private static void describe(ObjectNode node, String name, String datatype, long[] shape) {
        node.put("name", name).put("datatype", datatype);
        ArrayNode dims = node.putArray("shape");
        for (long d : shape) {
            dims.add(d);
        }
    }

    private void modelReady(RoutingContext ctx) {
        ModelRuntime m = resolve(ctx);
        if (m != null) {
            ctx.response().setStatusCode(inference.ready(m) ? 200 : 400).end();
        }
    }

    /**
     * Triton's statistics extension, reduced to what Stratus records, plus a {@code load} object: how the model's
     * load and warm-up went (the profiler's cold-start phases and memory per batch size).
     */
    private void modelStats(RoutingContext ctx) {
        ModelRuntime m = resolve(ctx);
        if (m == null) {
            return;
        }
        ObjectNode body = json.createObjectNode();
        ObjectNode stats = body.putArray("model_stats").addObject().put("name", m.name())
                .put("version", m.version()).put("state", m.state().name());
        ObjectNode process = stats.putObject("process")
                .put("jvm_start_epoch_ms", ManagementFactory.getRuntimeMXBean().getStartTime());
        if (runtime.httpUpEpochMs() > 0) {
            process.put("http_up_epoch_ms", runtime.httpUpEpochMs());
        }
        LoadReport load = m.loadReport();
        if (load != null) {
            ObjectNode l = stats.putObject("load").put("start_epoch_ms", load.loadStartEpochMs())
                    .put("session_create_ms", load.sessionCreateMs())
                    .put("first_inference_ms", load.firstInferenceMs())
                    .put("warmup_ms", load.warmupMs())
                    .put("optimized_model_cached", load.optimizedModelCached())
                    .put("resident_bytes_before_load", load.residentBytesBeforeLoad());
            ArrayNode memory = l.putArray("resident_bytes_after_batch");
            for (LoadReport.BatchMemory b : load.residentBytesAfterBatch()) {
                memory.addObject().put("batch", b.batch()).put("resident_bytes", b.residentBytes());
            }
        }
        sendJson(ctx, 200, body);
    }

    private void modelConfig(RoutingContext ctx) {
        ModelRuntime m = resolve(ctx);
        if (m == null) {
            return;
        }
        ObjectNode body = json.createObjectNode().put("name", m.name()).put("version", m.version())
                .put("platform", WorkerInference.PLATFORM).put("state", m.state().name());
        if (m.failure() != null) {
            body.put("failure", m.failure());
        }
        body.put("max_batch_size", m.policy().maxBatchSize());
        body.putObject("dynamic_batching")
                .put("max_queue_delay_microseconds", m.policy().maxQueueDelay().toNanos() / 1000)
                .put("max_queue_size", m.policy().maxQueueSize());
        ArrayNode estimates = body.putArray("estimated_batch_latency_ms");
        for (int b = 1; b <= m.policy().maxBatchSize(); b++) {
            estimates.add(m.estimatedBatchNanos(b) / 1e6);
        }
        if (m.spec() != null) {
            // The entry served with (catalog or inferred), in the catalog's format: the warm-up shapes of one item
            // included, so that a client (the fleet's HTTP warm-up) can build valid requests.
            body.set("entry", ModelCatalog.entry(m.spec()));
        }
        sendJson(ctx, 200, body);
    }

    /** The model version named in the path, else the model's default version, or null after answering 404. */
    private ModelRuntime resolve(RoutingContext ctx) {
        try {
            return inference.model(ctx.pathParam("model"), ctx.pathParam("version"));
        } catch (ProtocolException e) {
            sendError(ctx, e);
            return null;
        }
    }

    private void infer(RoutingContext ctx) {
        long receivedAt = System.nanoTime();
        inference.started();
        ctx.addEndHandler(done -> inference.ended());
        ModelRuntime m;
        try {
            m = inference.admit(ctx.pathParam("model"), ctx.pathParam("version"));
        } catch (ProtocolException e) {
            // A request for a model that is not here is no model's traffic: answered, not counted.
            if (e.status() == 404) {
                sendError(ctx, e);
            } else {
                fail(ctx, inference.model(ctx.pathParam("model"), ctx.pathParam("version")), e, receivedAt);
            }
            return;
        }
        RequestBody.read(ctx, maxRequestBytes, body -> decodeAndServe(ctx, m, body, receivedAt),
                error -> fail(ctx, m, error, receivedAt));
    }

    private void decodeAndServe(RoutingContext ctx, ModelRuntime m, Buffer body, long receivedAt) {
        try {
            if (body.length() == 0) {
                throw ProtocolException.badRequest("request body is empty");
            }
            int headerLength = headerLength(ctx, body);
            if (headerLength == body.length() && body.length() > INLINE_JSON_LIMIT) {
                ctx.vertx().<InferenceRequest>executeBlocking(() -> decode(body, headerLength), false)
                        .onSuccess(request -> serve(ctx, m, request, receivedAt))
                        .onFailure(e -> fail(ctx, m, e, receivedAt));
            } else {
                serve(ctx, m, decode(body, headerLength), receivedAt);
            }
        } catch (RuntimeException e) {
            fail(ctx, m, e, receivedAt);
        }
    }

    private static int headerLength(RoutingContext ctx, Buffer body) {
        return InferenceBody.headerLength(ctx.request().getHeader(EncodedBody.HEADER_LENGTH), body);
    }

    private InferenceRequest decode(Buffer body, int headerLength) {
        return InferenceBody.decode(decoder, body, headerLength);
    }

    private void serve(RoutingContext ctx, ModelRuntime m, InferenceRequest request, long receivedAt) {
        try {
            // Answered on the request's event loop: encoding and writing must not hold the model's execution
            // thread, which should start the next batch at once (a batch's answers reach each loop in one task).
            CompletableFuture<InferenceResponse> result = inference.infer(m, request, receivedAt,
                    transportDeadline(ctx, receivedAt), EventLoopHandoff.current());
            result.whenComplete((response, error) -> {
                if (error != null) {
                    fail(ctx, m, error, receivedAt);
                } else {
                    respond(ctx, m, response, receivedAt);
                }
            });
        } catch (RuntimeException e) {
            fail(ctx, m, e, receivedAt);
        }
    }

    /** The Stratus-Deadline-Ms header as a deadline (Long.MAX_VALUE without one). */
    private static long transportDeadline(RoutingContext ctx, long receivedAt) {
        String header = ctx.request().getHeader(DEADLINE_HEADER);
        if (header == null) {
            return Long.MAX_VALUE;
        }
        double ms;
        try {
            ms = Double.parseDouble(header.trim());
        } catch (NumberFormatException e) {
            throw ProtocolException.badRequest(DEADLINE_HEADER + " must be a number of milliseconds, got '"
                    + header + "'");
        }
        if (!(ms >= 0) || Double.isInfinite(ms)) {
            throw ProtocolException.badRequest(DEADLINE_HEADER + " must be a non-negative number, got '"
                    + header + "'");
        }
        return receivedAt + (long) (ms * 1_000_000);
    }

    /**
     * Encodes and writes a response. Writing JSON for large outputs (ocr-rec returns a million floats) takes
     * long enough to stall every connection of the event loop, so that encoding runs on a worker thread.
     */
    private void respond(RoutingContext ctx, ModelRuntime m, InferenceResponse response, long receivedAt) {
        long jsonBytes = response.outputs().stream().filter(o -> !o.binary()).mapToLong(o -> o.tensor().byteSize())
                .sum();
        long tensorBytes = response.outputs().stream().mapToLong(o -> o.tensor().byteSize()).sum();
        // Compressed only when the client asks and the answer is large: on small ones it would cost more
        // latency than the bytes it saves. JSON text is larger than the tensor bytes, so this errs towards it.
        Optional<ContentCoding> coding = tensorBytes >= compressMinBytes
                ? ContentCoding.preferredForResponse(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING))
                : Optional.empty();
        if (jsonBytes > INLINE_JSON_LIMIT || coding.isPresent()) {
            ctx.vertx().<Reply>executeBlocking(() -> Reply.of(encoder.encode(response), coding), false)
                    .onSuccess(reply -> write(ctx, m, reply, receivedAt))
                    .onFailure(e -> fail(ctx, m, e, receivedAt));
            return;
        }
        try {
            write(ctx, m, Reply.of(encoder.encode(response), Optional.empty()), receivedAt);
        } catch (RuntimeException e) {
            fail(ctx, m, e, receivedAt);
        }
    }

    /** An encoded answer, and the same bytes compressed when the client accepts a coding. */
    private record Reply(EncodedBody encoded, Optional<ContentCoding> coding, byte[] compressed) {
        static Reply of(EncodedBody encoded, Optional<ContentCoding> coding) {
            if (coding.isEmpty()) {
                return new Reply(encoded, coding, null);
            }
            List<ByteBuffer> parts = new ArrayList<>(1 + encoded.binaryParts().size());
            parts.add(ByteBuffer.wrap(encoded.json()));
            parts.addAll(encoded.binaryParts());
            return new Reply(encoded, coding, coding.get().encode(parts));
        }
    }

    private void write(RoutingContext ctx, ModelRuntime m, Reply reply, long receivedAt) {
        EncodedBody encoded = reply.encoded();
        HttpServerResponse http = ctx.response().setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, encoded.contentType());
        encoded.headerLength().ifPresent(n -> http.putHeader(EncodedBody.HEADER_LENGTH, Integer.toString(n)));
        inference.finished(m.name(), null, receivedAt);
        if (reply.compressed() != null) {
            // The header length still counts the JSON of the decoded body, as Triton's clients expect.
            http.putHeader(HttpHeaders.CONTENT_ENCODING, reply.coding().get().token())
                    .putHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
            http.end(Buffer.buffer(reply.compressed()));
            return;
        }
        ByteBuf[] parts = new ByteBuf[1 + encoded.binaryParts().size()];
        parts[0] = Unpooled.wrappedBuffer(encoded.json());
        for (int i = 0; i < encoded.binaryParts().size(); i++) {
            parts[i + 1] = Unpooled.wrappedBuffer(encoded.binaryParts().get(i));
        }
        http.end(Buffer.buffer(Unpooled.wrappedBuffer(parts)));
    }

    private void fail(RoutingContext ctx, ModelRuntime m, Throwable error, long receivedAt) {
        inference.finished(m.name(), error, receivedAt);
        sendError(ctx, ProtocolException.of(error));
    }

    private void sendError(RoutingContext ctx, ProtocolException e) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(e.status()).putHeader(HttpHeaders.CONTENT_TYPE, EncodedBody.JSON_CONTENT_TYPE)
                .end(Buffer.buffer(encoder.error(e.getMessage())));
    }

    private void sendJson(RoutingContext ctx, int status, ObjectNode body) {
        try {
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, EncodedBody.JSON_CONTENT_TYPE)
                    .end(Buffer.buffer(json.writeValueAsBytes(body)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            sendError(ctx, new ProtocolException(500, "cannot encode response: " + e.getMessage()));
        }
    }
}
