package dev.stratus.core.catalog;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSignature;
import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.OutputSpec;
import dev.stratus.core.model.Shapes;
import dev.stratus.core.model.TensorSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Builds a catalog entry from what ONNX Runtime reads from a model file, for models nobody wrote an entry for.
 *
 * <p>Rules (Triton's convention for {@code max_batch_size > 0}): when every input and every output has a dynamic
 * leading dimension, that dimension is the batch axis and requests are stacked on it, up to
 * {@link #DEFAULT_MAX_BATCH}; otherwise the model is served at batch 1 and the reason is kept. A leading dim
 * that is dynamic on some tensors only is not taken for a batch axis: splitting outputs on a dim that is not the
 * batch would hand one request's results to another. Every other dynamic input dimension needs a warm-up shape
 * (the shape of one item), because warm-up and profiling must run the model at a concrete size; the error names
 * each input and dimension that lacks one. Strings (BYTES) are refused: the data plane carries numeric tensors.
 */
public final class SpecInference {
    /** Largest batch of an inferred entry; the worker's own limit (default 8) and the plan choose below it. */
    public static final int DEFAULT_MAX_BATCH = 64;

    private SpecInference() {
    }

    /**
     * @param warmUpShapes shape of one item per input (batch dim 1), for inputs with dynamic dims besides the batch
     * @throws IllegalArgumentException naming every problem, separated by "; "
     */
    public static ResolvedEntry infer(String name, String version, ModelSource source, ModelSignature signature,
            Map<String, long[]> warmUpShapes) {
        List<String> problems = new ArrayList<>();
        if (signature.inputs().isEmpty()) {
            problems.add("the model has no inputs");
        }
        for (TensorSignature t : signature.inputs()) {
            unsupported("input", t).ifPresent(problems::add);
        }
        for (TensorSignature t : signature.outputs()) {
            unsupported("output", t).ifPresent(problems::add);
        }
        TreeSet<String> unknown = new TreeSet<>(warmUpShapes.keySet());
        signature.inputs().forEach(t -> unknown.remove(t.name()));
        if (!unknown.isEmpty()) {
            problems.add("warm-up shape given for " + unknown + ", which the model does not have (its inputs are "
                    + signature.inputs().stream().map(TensorSignature::name).toList() + ")");
        }
        Optional<String> unbatchable = whyNotBatched(signature);
        boolean batched = unbatchable.isEmpty();
        List<InputSpec> inputs = new ArrayList<>();
        for (TensorSignature t : signature.inputs()) {
            long[] declared = t.shape();
            // At batch 1 an input whose leading dim may be 1 still takes one item there; others pass as they are.
            int batchAxis = declared.length > 0 && (declared[0] < 0 || declared[0] == 1) ? 0 : InputSpec.SHARED;
            long[] sample = sampleShape(t, batchAxis, warmUpShapes.get(t.name()), problems);
            if (sample != null) {
                inputs.add(new InputSpec(t.name(), t.datatype(), sample, batchAxis, List.of()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        List<OutputSpec> outputs = signature.outputs().stream().map(t -> new OutputSpec(t.name(), 0)).toList();
        ModelSpec spec = new ModelSpec(name, version, "", "", source, inputs, outputs,
                batched ? DEFAULT_MAX_BATCH : 1);
        String batching = batched
                ? "batched on the leading dimension of every input and output, up to " + DEFAULT_MAX_BATCH
                : "batch 1: " + unbatchable.get();
        return new ResolvedEntry(spec, batching);
    }

    /** Why requests cannot be stacked on dim 0, or empty when they can. */
    static Optional<String> whyNotBatched(ModelSignature signature) {
        List<TensorSignature> all = new ArrayList<>(signature.inputs());
        all.addAll(signature.outputs());
        for (TensorSignature t : all) {
            String kind = signature.inputs().contains(t) ? "input" : "output";
            long[] shape = t.shape();
            if (shape.length == 0) {
                return Optional.of(kind + " '" + t.name() + "' is a scalar, so it has no batch dimension");
            }
            if (shape[0] >= 0) {
                return Optional.of(kind + " '" + t.name() + "' has a fixed leading dimension of " + shape[0]
                        + " (shape " + Shapes.format(shape) + "), so requests cannot be stacked on it");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unsupported(String kind, TensorSignature t) {
        if (t.datatype() == DataType.BYTES) {
            return Optional.of(kind + " '" + t.name() + "' has datatype BYTES (strings), which Stratus does not serve: "
                    + "it serves numeric and boolean tensors");
        }
        return Optional.empty();
    }

    /** The concrete shape of one item, or null after recording why there is none. */
    private static long[] sampleShape(TensorSignature t, int batchAxis, long[] given, List<String> problems) {
        long[] declared = t.shape();
        String where = "input '" + t.name() + "'";
        if (given != null) {
            String expected = expectedForm(t, batchAxis);
            if (given.length != declared.length) {
                problems.add(where + ": warm-up shape " + Shapes.format(given) + " has rank " + given.length
                        + ", the model's " + Shapes.format(declared) + " has rank " + declared.length + " (give "
                        + expected + ")");
                return null;
            }
            for (int i = 0; i < declared.length; i++) {
                if (given[i] < 1) {
                    problems.add(where + ": warm-up shape " + Shapes.format(given) + " has a dim below 1 at " + i);
                    return null;
                }
                if (i == batchAxis && given[i] != 1) {
                    problems.add(where + ": warm-up shape " + Shapes.format(given) + " is the shape of one item, so"
                            + " its batch dimension 0 must be 1 (give " + expected + ")");
                    return null;
                }
                if (declared[i] >= 0 && given[i] != declared[i]) {
                    problems.add(where + ": warm-up shape " + Shapes.format(given) + " contradicts the model's "
                            + Shapes.format(declared) + " at dimension " + i);
                    return null;
                }
            }
            return given.clone();
        }
        long[] sample = declared.clone();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < sample.length; i++) {
            if (i == batchAxis) {
                sample[i] = 1;
            } else if (sample[i] < 0) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            problems.add(where + ": dimension" + (missing.size() > 1 ? "s " : " ") + join(missing) + " of "
                    + Shapes.format(declared) + (missing.size() > 1 ? " are" : " is") + " dynamic and no warm-up "
                    + "shape was given; give the shape of one item, e.g. --input-shape " + t.name() + "="
                    + expectedForm(t, batchAxis).replace(" ", ""));
            return null;
        }
        return sample;
    }

    /** The form a warm-up shape must take: fixed dims as declared, 1 on the batch axis, letters for free dims. */
    private static String expectedForm(TensorSignature t, int batchAxis) {
        long[] declared = t.shape();
        List<String> dims = new ArrayList<>();
        for (int i = 0; i < declared.length; i++) {
            // Images (N, C, H, W) read best with their usual letters; other free dims are numbered.
            dims.add(i == batchAxis ? "1" : declared[i] >= 0 ? Long.toString(declared[i])
                    : declared.length == 4 && i >= 2 ? (i == 2 ? "H" : "W") : "D" + i);
        }
        return String.join(",", dims);
    }

    private static String join(List<Integer> dims) {
        List<String> s = dims.stream().map(String::valueOf).toList();
        return s.size() == 1 ? s.get(0) : String.join(", ", s.subList(0, s.size() - 1)) + " and " + s.getLast();
    }
}
