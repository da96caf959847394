package dev.stratus.core.model.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DAG of models with one end-to-end objective (the InferencePipeline concept). Stages are model names; a stage
 * without incoming edges receives the pipeline's {@code ratePerSecond}; every source-to-sink path must finish
 * within {@code sloMs}.
 */
public record Pipeline(String name, List<String> stages, List<PipelineEdge> edges, double sloMs, double ratePerSecond) {

    public Pipeline {
        name = Checks.name("name", name);
        stages = List.copyOf(Checks.present("stages", stages));
        edges = edges == null ? List.of() : List.copyOf(edges);
        Checks.positive("sloMs", sloMs);
        Checks.nonNegative("ratePerSecond", ratePerSecond);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("stages: must name at least one model");
        }
        if (new HashSet<>(stages).size() != stages.size()) {
            throw new IllegalArgumentException("stages: a model appears twice in " + stages);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < edges.size(); i++) {
            PipelineEdge e = edges.get(i);
            if (!stages.contains(e.from()) || !stages.contains(e.to())) {
                throw new IllegalArgumentException("edges[" + i + "]: " + e.from() + " -> " + e.to() + " names a model that is not a stage");
            }
            if (!seen.add(e.from() + "\u0000" + e.to())) {
                throw new IllegalArgumentException("edges[" + i + "]: " + e.from() + " -> " + e.to() + " appears twice");
            }
        }
        if (topologicalOrder(stages, edges).size() != stages.size()) {
            throw new IllegalArgumentException("edges: the stages form a cycle; a pipeline must be a DAG");
        }
    }

    /** Stages ordered so that every edge goes forward (Kahn's algorithm, stable in declaration order). */
    public List<String> topologicalOrder() {
        return topologicalOrder(stages, edges);
    }

    private static List<String> topologicalOrder(List<String> stages, List<PipelineEdge> edges) {
        Map<String, Integer> indegree = new HashMap<>();
        stages.forEach(s -> indegree.put(s, 0));
        edges.forEach(e -> indegree.merge(e.to(), 1, Integer::sum));
        Deque<String> ready = new ArrayDeque<>();
        stages.stream().filter(s -> indegree.get(s) == 0).forEach(ready::add);
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String s = ready.poll();
            order.add(s);
            for (PipelineEdge e : edges) {
                if (e.from().equals(s) && indegree.merge(e.to(), -1, Integer::sum) == 0) {
                    ready.add(e.to());
                }
            }
        }
        return order;
    }

    public List<PipelineEdge> incoming(String stage) {
        return edges.stream().filter(e -> e.to().equals(stage)).toList();
    }

    public List<PipelineEdge> outgoing(String stage) {
        return edges.stream().filter(e -> e.from().equals(stage)).toList();
    }

    /** Requests per second each stage receives: the pipeline rate at sources, upstream rate × fan-out below. */
    public Map<String, Double> stageRates() {
        Map<String, Double> rates = new HashMap<>();
        for (String s : topologicalOrder()) {
            List<PipelineEdge> in = incoming(s);
            double r = in.isEmpty() ? ratePerSecond : in.stream().mapToDouble(e -> rates.get(e.from()) * e.fanOut()).sum();
            rates.put(s, r);
        }
        return rates;
    }

    /** True when no stage has two parents (a forest of trees), the shape Nexus' DP handles. */
    public boolean isForest() {
        return stages.stream().allMatch(s -> incoming(s).size() <= 1);
    }
}
