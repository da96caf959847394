package dev.stratus.dataplane.worker.runtime;

import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSignature;
import dev.stratus.core.model.ModelState;
import dev.stratus.core.model.Shapes;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.model.TensorSignature;
import dev.stratus.dataplane.protocol.InferenceRequest;
import dev.stratus.dataplane.protocol.InferenceResponse;
import dev.stratus.dataplane.protocol.Outcome;
import dev.stratus.dataplane.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The worker's request path, whatever the transport: which model a request names, whether it may be served now,
 * validation, its deadline, submission to the model's batcher, the answer, and the request counters. The HTTP and
 * gRPC APIs only decode requests and encode answers around it, so that both refuse, time out and count alike.
 */
public final class WorkerInference {
    public static final String SERVER_NAME = "stratus";
    public static final String PLATFORM = "onnxruntime_onnx";

    /**
     * A model's inputs and outputs as the metadata endpoints describe them (-1 = any size), and the versions served.
     */
    public record Metadata(String name, List<String> versions, List<TensorSignature> inputs,
            List<TensorSignature> outputs) {
    }

    private final WorkerRuntime runtime;
    private final WorkerMetrics metrics;

    public WorkerInference(WorkerRuntime runtime, WorkerMetrics metrics) {
        this.runtime = runtime;
        this.metrics = metrics;
    }

    public WorkerRuntime runtime() {
        return runtime;
    }

    /**
     * The version named of the model named, or its default version when none is (null or empty); 404 naming what is
     * served otherwise.
     */
    public ModelRuntime model(String name, String version) {
        ServedModel m = runtime.model(name).orElseThrow(() -> ProtocolException.notFound("unknown model '" + name
                + "'; this worker serves " + runtime.served().stream().map(ServedModel::name).toList()));
        if (version == null || version.isEmpty()) {
            return m.defaultVersion();
        }
        return m.version(version).orElseThrow(() -> ProtocolException.notFound("model '" + name + "' has no "
                + "version '" + version + "'; available: " + m.versionNames()));
    }

    /** The model a new inference request names, once it may be served here: 404 unknown, 503 draining. */
    public ModelRuntime admit(String name, String version) {
        ModelRuntime m = model(name, version);
        if (runtime.draining()) {
            throw new ProtocolException(503, "worker is draining; send the request to another replica");
        }
        return m;
    }

    /** Ready to take requests: READY and the worker not draining. */
    public boolean ready(ModelRuntime m) {
        return m.state() == ModelState.READY && !runtime.draining();
    }

    public Metadata metadata(ModelRuntime m) {
        List<String> versions = runtime.model(m.name()).map(ServedModel::versionNames).orElse(List.of(m.version()));
        ModelSignature sig = m.signature();
        if (sig != null) {
            return new Metadata(m.name(), versions, sig.inputs(), sig.outputs());
        }
        // Not loaded yet: describe the inputs from the catalog (if it has them), batch axis as -1.
        List<TensorSignature> inputs = new ArrayList<>();
        for (InputSpec in : m.inputs()) {
            long[] shape = in.batched() ? Shapes.withDim(in.sampleShape(), in.batchAxis(), -1) : in.sampleShape();
            inputs.add(new TensorSignature(in.name(), in.datatype(), shape));
        }
        return new Metadata(m.name(), versions, inputs, List.of());
    }

    /**
     * Validates and queues a decoded request. Its deadline is the tighter of the request's own {@code timeout}
     * parameter and the transport's ({@code Stratus-Deadline-Ms}, gRPC's deadline; Long.MAX_VALUE when none), both
     * counted from {@code receivedAt}. The future completes through {@code handoff} (on the request's thread) with
     * the answer, or with a {@link ProtocolException} (400 invalid, 429 queue full, 503 not ready, 504 deadline, 500
     * failure); a request refused before it was queued fails on the calling thread.
     */
    public CompletableFuture<InferenceResponse> infer(ModelRuntime m, InferenceRequest request, long receivedAt,
            long transportDeadline, AnswerHandoff handoff) {
        ValidatedRequest validated = m.validate(request);
        long deadline = transportDeadline;
        if (request.timeoutMicros().isPresent() && request.timeoutMicros().getAsLong() > 0) {
            deadline = Math.min(deadline, receivedAt + request.timeoutMicros().getAsLong() * 1000);
        }
        return m.submit(validated, deadline, handoff).thenApply(outputs -> {
            List<InferenceResponse.Output> out = new ArrayList<>(outputs.size());
            for (int i = 0; i < outputs.size(); i++) {
                Tensor t = outputs.get(i);
                out.add(new InferenceResponse.Output(t, validated.binaryOutputs().get(i)));
            }
            return new InferenceResponse(m.name(), m.version(), request.id(), out);
        });
    }

    /** Counts a finished request (null error: success) of {@code model}, timed from {@code receivedAt}. */
    public void finished(String model, Throwable error, long receivedAt) {
        Outcome outcome = error == null ? Outcome.SUCCESS : Outcome.ofStatus(ProtocolException.of(error).status());
        metrics.request(model, outcome, System.nanoTime() - receivedAt);
    }

    /** A request entered the worker (draining waits for it to be answered). */
    public void started() {
        runtime.requestStarted();
    }

    /** A request has been answered. */
    public void ended() {
        runtime.requestEnded();
    }
}
