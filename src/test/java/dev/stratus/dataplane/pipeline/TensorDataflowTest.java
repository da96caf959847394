package dev.stratus.dataplane.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.model.fleet.PipelineWiring;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;
import dev.stratus.dataplane.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The dataflow of a tensors-by-name pipeline, with stages that answer at once (the wiring, not the models). */
class TensorDataflowTest {
    static Tensor t(String name) {
        return new Tensor(name, DataType.UINT8, new long[] {1}, ByteBuffer.wrap(new byte[] {1}));
    }

    static Map<String, Tensor> named(String... names) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, t(n));
        }
        return m;
    }

    /** incoming edges, parents' outputs, edge maps -> the inputs' names. */
    static Stream<Arguments> wiring() {
        return Stream.of(
                Arguments.of("no map: every output as it is", Map.of(), List.of("a.out", "a.aux")),
                Arguments.of("a map renames and selects", Map.of("a->c", Map.of("a.out", "x")), List.of("x")),
                Arguments.of("two parents", Map.of("b->c", Map.of("b.out", "y")), List.of("a.out", "a.aux", "y")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wiring")
    void stageInputsFollowTheEdgesMaps(String name, Map<String, Map<String, String>> maps, List<String> inputs) {
        List<PipelineEdge> in = maps.containsKey("b->c") ? List.of(new PipelineEdge("a", "c", 1),
                new PipelineEdge("b", "c", 1)) : List.of(new PipelineEdge("a", "c", 1));
        Map<String, Map<String, Tensor>> outputs = Map.of("a", named("a.out", "a.aux"), "b", named("b.out"));
        List<Tensor> got = TensorDataflow.stageInputs(in, outputs, new PipelineWiring(PipelineWiring.Processing.TENSORS,
                maps));
        assertEquals(inputs, got.stream().map(Tensor::name).toList());
    }

    @Test
    void aMappedOutputTheParentDidNotGiveIsTheStagesFault() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> TensorDataflow.stageInputs(
                List.of(new PipelineEdge("a", "c", 1)), Map.of("a", named("other")), new PipelineWiring(
                        PipelineWiring.Processing.TENSORS, Map.of("a->c", Map.of("a.out", "x")))));
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("without output 'a.out'"), e.getMessage());
    }

    @Test
    void aDiamondRunsEachStageOnceAfterItsParentsAndAnswersWithTheSinks() throws Exception {
        Pipeline p = new Pipeline("d", List.of("a", "b", "c", "d"), List.of(new PipelineEdge("a", "b", 1),
                new PipelineEdge("a", "c", 1), new PipelineEdge("b", "d", 1), new PipelineEdge("c", "d", 1)), 100, 1);
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        StageCaller stages = (stage, inputs) -> {
            calls.add(stage + inputs.stream().map(Tensor::name).sorted().toList());
            return CompletableFuture.completedFuture(named(stage + ".out"));
        };
        List<Tensor> out = new TensorDataflow(p, PipelineWiring.BY_NAME).run(List.of(t("in")), stages, Runnable::run)
                .get();
        assertEquals(List.of("d.out"), out.stream().map(Tensor::name).toList());
        assertEquals("a[in]", calls.get(0));
        assertEquals("d[b.out, c.out]", calls.get(3));
        assertEquals(4, calls.size());
    }

    @Test
    void aFailingStageFailsThePipelineAndItsDescendantsNeverRun() {
        Pipeline p = new Pipeline("chain", List.of("a", "b"), List.of(new PipelineEdge("a", "b", 1)), 100, 1);
        List<String> calls = new ArrayList<>();
        StageCaller stages = (stage, inputs) -> {
            calls.add(stage);
            return CompletableFuture.failedFuture(new ProtocolException(429, "shed: busy"));
        };
        ExecutionException e = assertThrows(ExecutionException.class, () -> new TensorDataflow(p,
                PipelineWiring.BY_NAME).run(List.of(t("in")), stages, Runnable::run).get());
        assertEquals(429, ((ProtocolException) e.getCause()).status());
        assertEquals(List.of("a"), calls);
    }
}
