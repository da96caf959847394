package dev.stratus.core.model.fleet;

import dev.stratus.core.model.plan.Pipeline;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How tensors flow through a pipeline at the gateway, as a Triton ensemble maps them by name.
 *
 * <p>{@link Processing#TENSORS}: a source stage receives the request's input tensors; a stage with parents
 * receives their output tensors, each edge passing all of them under their own names or, when the edge has a
 * map, only the outputs it names, renamed to the inputs it gives ({@code output name -> input name}); the
 * answer holds the sink stages' outputs. {@link Processing#PPOCR}: the OCR pipeline (detector, optional
 * direction classifier, recogniser) with PP-OCR's processing between the stages: an image in, text lines out.
 *
 * @param edgeTensors per edge ({@link #key}), the map of upstream output names to downstream input names
 */
public record PipelineWiring(Processing processing, Map<String, Map<String, String>> edgeTensors) {
    public static final PipelineWiring BY_NAME = new PipelineWiring(Processing.TENSORS, Map.of());

    public enum Processing {
        TENSORS,
        PPOCR
    }

    public PipelineWiring {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        edgeTensors.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        edgeTensors = java.util.Collections.unmodifiableMap(copy);
    }

    public static String key(String from, String to) {
        return from + "->" + to;
    }

    /** The edge's map of output names to input names, empty when it passes every output unchanged. */
    public Map<String, String> tensors(String from, String to) {
        return edgeTensors.getOrDefault(key(from, to), Map.of());
    }

    /**
     * The stages of a PP-OCR pipeline in order: detector, optional direction classifier, recogniser, as a chain.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    public static List<String> ocrChain(Pipeline p) {
        List<String> order = p.topologicalOrder();
        if (order.size() < 2 || order.size() > 3) {
            throw new IllegalArgumentException("processing ppocr needs 2 or 3 stages (detector, optional direction "
                    + "classifier, recogniser), got " + order.size());
        }
        if (p.edges().size() != order.size() - 1) {
            throw new IllegalArgumentException("processing ppocr needs the stages as a chain (detector -> "
                    + (order.size() == 3 ? "classifier -> " : "") + "recogniser), got " + p.edges().size() + " edge(s)");
        }
        for (int i = 0; i + 1 < order.size(); i++) {
            String from = order.get(i);
            String to = order.get(i + 1);
            if (p.edges().stream().noneMatch(e -> e.from().equals(from) && e.to().equals(to))) {
                throw new IllegalArgumentException("processing ppocr needs the stages as a chain, but there is no edge "
                        + from + " -> " + to);
            }
        }
        return order;
    }

    /** What does not fit between this wiring and the pipeline, if anything. */
    public Optional<String> problem(Pipeline p) {
        if (processing == Processing.PPOCR) {
            try {
                ocrChain(p);
            } catch (IllegalArgumentException e) {
                return Optional.of(e.getMessage());
            }
        }
        return Optional.empty();
    }
}
