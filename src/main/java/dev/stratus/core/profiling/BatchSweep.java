package dev.stratus.core.profiling;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The batch sizes a profiling run measures: the requested list, checked against what the model takes. A list
 * that is empty, has a non-positive or repeated size, or goes above the model's largest batch is refused
 * with a message that says which size and why.
 */
public record BatchSweep(List<Integer> batches) {
    public static final List<Integer> DEFAULT = List.of(1, 2, 4, 8, 16);

    public BatchSweep {
        batches = List.copyOf(batches);
    }

    /**
     * @param requested    the sizes asked for, or null for the default list (clipped to the model's maximum)
     * @param modelMaxBatch the largest batch the model accepts (1 for fixed-batch models)
     */
    public static BatchSweep of(List<Integer> requested, String model, int modelMaxBatch) {
        if (requested == null) {
            List<Integer> clipped = DEFAULT.stream().filter(b -> b <= modelMaxBatch).toList();
            return new BatchSweep(clipped);
        }
        if (requested.isEmpty()) {
            throw new IllegalArgumentException("batch list is empty");
        }
        TreeSet<Integer> seen = new TreeSet<>();
        for (Integer b : requested) {
            if (b == null || b < 1) {
                throw new IllegalArgumentException("batch sizes must be >= 1, got " + b);
            }
            if (!seen.add(b)) {
                throw new IllegalArgumentException("batch size " + b + " is listed twice");
            }
            if (b > modelMaxBatch) {
                throw new IllegalArgumentException("model '" + model + "' takes batches of at most " + modelMaxBatch
                        + (modelMaxBatch == 1 ? " (its batch dimension is fixed)" : "") + ", but batch " + b
                        + " was asked for");
            }
        }
        return new BatchSweep(new ArrayList<>(seen));
    }

    public int largest() {
        return batches.get(batches.size() - 1);
    }
}
