package dev.stratus.dataplane.pipeline;

import dev.stratus.core.model.Tensor;
import dev.stratus.core.model.fleet.PipelineWiring;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A pipeline whose stages pass tensors by name, as a Triton ensemble does ({@link PipelineWiring.Processing#TENSORS}):
 * source stages get the request's inputs, each other stage starts once all its parents answered and gets their
 * outputs through its incoming edges' name maps, and the answer is every sink stage's outputs. Stages on
 * different branches run at the same time.
 */
public final class TensorDataflow implements PipelineProgram {
    private final Pipeline pipeline;
    private final PipelineWiring wiring;

    public TensorDataflow(Pipeline pipeline, PipelineWiring wiring) {
        this.pipeline = pipeline;
        this.wiring = wiring;
    }

    @Override
    public CompletableFuture<List<Tensor>> run(List<Tensor> inputs, StageCaller stages, Executor work) {
        Map<String, CompletableFuture<Map<String, Tensor>>> answers = new HashMap<>();
        for (String stage : pipeline.topologicalOrder()) {
            List<PipelineEdge> in = pipeline.incoming(stage);
            if (in.isEmpty()) {
                answers.put(stage, stages.call(stage, inputs));
                continue;
            }
            CompletableFuture<?>[] parents = in.stream().map(e -> answers.get(e.from()))
                    .toArray(CompletableFuture<?>[]::new);
            answers.put(stage, CompletableFuture.allOf(parents).thenCompose(v -> {
                Map<String, Map<String, Tensor>> outputs = new HashMap<>();
                in.forEach(e -> outputs.put(e.from(), answers.get(e.from()).join()));
                return stages.call(stage, stageInputs(in, outputs, wiring));
            }));
        }
        List<String> sinks = pipeline.stages().stream().filter(s -> pipeline.outgoing(s).isEmpty()).toList();
        CompletableFuture<?>[] last = sinks.stream().map(answers::get).toArray(CompletableFuture<?>[]::new);
        return CompletableFuture.allOf(last).thenApply(v -> {
            Map<String, Tensor> out = new LinkedHashMap<>();
            sinks.forEach(s -> out.putAll(answers.get(s).join()));
            return List.copyOf(out.values());
        });
    }

    /**
     * What a stage receives from its parents: per incoming edge (in declaration order), the parent's outputs under
     * their own names, or only those the edge's map names, renamed; a name given twice keeps the later edge's.
     */
    static List<Tensor> stageInputs(List<PipelineEdge> incoming, Map<String, Map<String, Tensor>> parentOutputs,
            PipelineWiring wiring) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (PipelineEdge e : incoming) {
            Map<String, Tensor> outputs = parentOutputs.get(e.from());
            Map<String, String> map = wiring.tensors(e.from(), e.to());
            if (map.isEmpty()) {
                in.putAll(outputs);
                continue;
            }
            map.forEach((output, input) -> {
                Tensor t = outputs.get(output);
                if (t == null) {
                    throw new dev.stratus.dataplane.protocol.ProtocolException(502, "stage " + e.from()
                            + " answered without output '" + output + "', which edge " + e.from() + " -> " + e.to()
                            + " maps to '" + input + "'; it answered " + outputs.keySet());
                }
                in.put(input, new Tensor(input, t.datatype(), t.shape(), t.data()));
            });
        }
        return new ArrayList<>(in.values());
    }

    @Override
    public List<TensorInfo> inputs() {
        return List.of(); // the source stages' inputs, which only their replicas describe
    }

    @Override
    public List<TensorInfo> outputs() {
        return List.of();
    }
}
