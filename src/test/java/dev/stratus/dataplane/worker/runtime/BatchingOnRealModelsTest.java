package dev.stratus.dataplane.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.stratus.core.model.BatchingPolicy;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSignature;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.ModelState;
import dev.stratus.core.model.Shapes;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.port.InferenceEngine;
import dev.stratus.core.port.InferenceEngineFactory;
import dev.stratus.core.port.InferenceException;
import dev.stratus.dataplane.protocol.InferenceRequest;
import dev.stratus.dataplane.protocol.ProtocolException;
import dev.stratus.dataplane.worker.onnx.OnnxEngineFactory;
import dev.stratus.testing.SampleModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On the real sample models with real ONNX Runtime: a request served inside a batch gets the same outputs
 * as the same request run alone, batches are really formed, and incompatible shapes are never mixed.
 */
class BatchingOnRealModelsTest {
    private static final double TOLERANCE = 1e-4;

    @BeforeAll
    static void models() {
        SampleModels.ensureFetched();
    }

    /** Records the batches the engine executes (their input shapes), around the real ONNX engine. */
    static final class RecordingFactory implements InferenceEngineFactory {
        final OnnxEngineFactory real = new OnnxEngineFactory();
        final List<Map<String, long[]>> batches = Collections.synchronizedList(new ArrayList<>());
        volatile boolean warm;

        @Override
        public InferenceEngine load(ModelSpec spec, Path file, int threads) throws InferenceException {
            InferenceEngine engine = real.load(spec, file, threads);
            return new InferenceEngine() {
                @Override
                public ModelSignature signature() {
                    return engine.signature();
                }

                @Override
                public Map<String, Tensor> infer(Map<String, Tensor> inputs, Set<String> outputs)
                        throws InferenceException {
                    if (warm) {
                        Map<String, long[]> shapes = new LinkedHashMap<>();
                        inputs.forEach((k, v) -> shapes.put(k, v.shape()));
                        batches.add(shapes);
                    }
                    return engine.infer(inputs, outputs);
                }

                @Override
                public void close() {
                    engine.close();
                }
            };
        }

        @Override
        public String runtimeVersion() {
            return real.runtimeVersion();
        }
    }

    static Stream<Arguments> batchableModels() {
        return Stream.of(Arguments.of("ocr-cls", 4), Arguments.of("ocr-det", 3), Arguments.of("ocr-rec", 3),
                Arguments.of("vad", 5));
    }

    @ParameterizedTest(name = "{0}: {1} requests in one batch = each run alone")
    @MethodSource("batchableModels")
    void outputsInsideABatchEqualOutputsAlone(String model, int n) throws Exception {
        RecordingFactory factory = new RecordingFactory();
        ModelSpec spec = SampleModels.spec(model);
        // A long queue delay and max batch = n: the n requests submitted back to back form exactly one batch.
        try (ModelRuntime runtime = start(spec, factory, n, Duration.ofSeconds(5));
                InferenceEngine alone = new OnnxEngineFactory().load(spec, SampleModels.file(model), 1)) {
            factory.warm = true;
            List<Map<String, Tensor>> requests = new ArrayList<>();
            List<CompletableFuture<List<Tensor>>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Map<String, Tensor> inputs = SampleInputs.of(spec, 1, 1000 + i);
                requests.add(inputs);
                results.add(runtime.submit(runtime.validate(request(inputs)), Long.MAX_VALUE));
            }
            List<String> outputNames = runtime.signature().outputs().stream().map(t -> t.name()).toList();
            for (int i = 0; i < n; i++) {
                List<Tensor> batched = results.get(i).get(60, TimeUnit.SECONDS);
                Map<String, Tensor> reference = alone.infer(requests.get(i), Set.of());
                for (int o = 0; o < outputNames.size(); o++) {
                    assertClose(reference.get(outputNames.get(o)), batched.get(o), model + " request " + i);
                }
            }
            assertEquals(1, factory.batches.size(), "expected one batch, got " + factory.batches.size());
            InputSpec first = spec.inputs().get(0);
            assertEquals(n, factory.batches.get(0).get(first.name())[first.batchAxis()]);
        }
    }

    @Test
    void requestsOfDifferentShapesAreNeverMixed() throws Exception {
        RecordingFactory factory = new RecordingFactory();
        ModelSpec spec = SampleModels.spec("ocr-rec");
        try (ModelRuntime runtime = start(spec, factory, 4, Duration.ofMillis(300));
                InferenceEngine alone = new OnnxEngineFactory().load(spec, SampleModels.file("ocr-rec"), 1)) {
            factory.warm = true;
            List<Map<String, Tensor>> requests = new ArrayList<>();
            List<CompletableFuture<List<Tensor>>> results = new ArrayList<>();
            int[] widths = {320, 160, 320, 160};
            for (int i = 0; i < widths.length; i++) {
                Map<String, Tensor> inputs = Map.of("x", randomTensor("x", new long[] {1, 3, 48, widths[i]}, i));
                requests.add(inputs);
                results.add(runtime.submit(runtime.validate(request(inputs)), Long.MAX_VALUE));
            }
            for (int i = 0; i < widths.length; i++) {
                Tensor batched = results.get(i).get(60, TimeUnit.SECONDS).get(0);
                assertClose(alone.infer(requests.get(i), Set.of()).values().iterator().next(), batched, "rec " + i);
            }
            for (Map<String, long[]> batch : factory.batches) {
                assertEquals(2, batch.get("x")[0], "each width forms its own batch of 2");
            }
            assertEquals(2, factory.batches.size());
        }
    }

    @Test
    void aBusyModelNeverHoldsUpAnotherModelsRequests() throws Exception {
        ModelSpec det = SampleModels.spec("ocr-det");
        ModelSpec cls = SampleModels.spec("ocr-cls");
        try (ModelRuntime slow = start(det, new RecordingFactory(), 1, Duration.ZERO);
                ModelRuntime fast = start(cls, new RecordingFactory(), 1, Duration.ZERO)) {
            List<CompletableFuture<List<Tensor>>> backlog = new ArrayList<>();
            ValidatedRequest detRequest = slow.validate(request(SampleInputs.of(det, 1, 1)));
            for (int i = 0; i < 20; i++) {
                backlog.add(slow.submit(detRequest, Long.MAX_VALUE));
            }
            // Twenty detection batches of one take hundreds of ms; a classification must not wait for them.
            fast.submit(fast.validate(request(SampleInputs.of(cls, 1, 2))), Long.MAX_VALUE).get(30, TimeUnit.SECONDS);
            assertTrue(slow.pendingItems() > 0, "ocr-cls was answered only after ocr-det's backlog drained");
            for (CompletableFuture<List<Tensor>> f : backlog) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void deadlineThatCannotBeMetIsRefusedAtOnce() throws Exception {
        ModelSpec spec = SampleModels.spec("ocr-det");
        try (ModelRuntime runtime = start(spec, new RecordingFactory(), 2, Duration.ofMillis(1))) {
            ValidatedRequest request = runtime.validate(request(SampleInputs.of(spec, 1, 7)));
            long tooSoon = System.nanoTime() + runtime.estimatedBatchNanos(1) / 20;
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> runtime.submit(request, tooSoon).get(5, TimeUnit.SECONDS));
            ProtocolException cause = assertInstanceOf(ProtocolException.class, e.getCause());
            assertEquals(504, cause.status());
            assertTrue(cause.getMessage().contains("deadline"), cause.getMessage());
            // A generous deadline is served.
            assertEquals(1, runtime.submit(request, System.nanoTime() + TimeUnit.SECONDS.toNanos(30))
                    .get(30, TimeUnit.SECONDS).size());
        }
    }

    @Test
    void catalogEntryThatContradictsTheModelIsRefused() {
        ModelSpec real = SampleModels.spec("ocr-cls");
        ModelSpec wrong = new ModelSpec(real.name(), real.version(), real.description(), real.licence(),
                real.source(), List.of(new InputSpec("image", real.inputs().get(0).datatype(),
                        real.inputs().get(0).sampleShape(), 0, List.of())), real.outputs(), real.maxBatchSize());
        try (ModelRuntime runtime = new ModelRuntime(wrong, SampleModels.file("ocr-cls"), new OnnxEngineFactory(),
                new BatchingPolicy(2, Duration.ZERO, 16), 1, 1, WorkerMetrics.NONE, System::nanoTime)) {
            runtime.start();
            assertEquals(ModelState.FAILED, runtime.state());
            assertTrue(runtime.failure().contains("contradicts") && runtime.failure().contains("image"),
                    runtime.failure());
        }
    }

    private static ModelRuntime start(ModelSpec spec, InferenceEngineFactory factory, int maxBatch, Duration delay) {
        ModelRuntime runtime = new ModelRuntime(spec, SampleModels.file(spec.name()), factory,
                new BatchingPolicy(maxBatch, delay, 64), 1, 1, WorkerMetrics.NONE, System::nanoTime);
        runtime.start();
        if (runtime.state() != ModelState.READY) {
            fail("model " + spec.name() + " did not start: " + runtime.failure());
        }
        return runtime;
    }

    private static InferenceRequest request(Map<String, Tensor> inputs) {
        return new InferenceRequest(Optional.empty(), new ArrayList<>(inputs.values()), List.of(),
                OptionalLong.empty(), false);
    }

    private static Tensor randomTensor(String name, long[] shape, long seed) {
        java.util.Random random = new java.util.Random(seed);
        int n = Math.toIntExact(Shapes.elementCount(shape));
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(random.nextFloat());
        }
        return new Tensor(name, dev.stratus.core.model.DataType.FP32, shape, b.flip());
    }

    static void assertClose(Tensor expected, Tensor actual, String what) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        ByteBuffer e = expected.data();
        ByteBuffer a = actual.data();
        long n = expected.elementCount();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(e.getFloat() - a.getFloat()));
        }
        assertTrue(worst <= TOLERANCE, what + ": max abs difference " + worst + " > " + TOLERANCE);
    }
}
