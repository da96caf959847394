package dev.stratus.dataplane.worker.runtime;

import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSignature;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.OutputSpec;
import dev.stratus.core.model.Shapes;
import dev.stratus.core.model.TensorSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares a catalog entry with the metadata the runtime reads from the model file, so a wrong catalog is
 * refused at load time instead of producing wrong batches at serving time.
 */
public final class CatalogConformance {
    private CatalogConformance() {
    }

    /** Every contradiction found; empty when the entry fits the model. */
    public static List<String> problems(ModelSpec spec, ModelSignature signature) {
        List<String> problems = new ArrayList<>();
        compareNames("inputs", spec.inputs().stream().map(InputSpec::name).collect(Collectors.toSet()),
                signature.inputs().stream().map(TensorSignature::name).collect(Collectors.toSet()), problems);
        compareNames("outputs", spec.outputs().stream().map(OutputSpec::name).collect(Collectors.toSet()),
                signature.outputs().stream().map(TensorSignature::name).collect(Collectors.toSet()), problems);
        for (InputSpec in : spec.inputs()) {
            signature.input(in.name()).ifPresent(sig -> checkInput(spec, in, sig, problems));
        }
        for (OutputSpec out : spec.outputs()) {
            signature.output(out.name()).ifPresent(sig -> {
                // A model served at batch 1 is never split, so its outputs' axis does not matter (may be a scalar).
                if (!spec.batchable()) {
                    return;
                }
                if (out.batchAxis() < 0 || out.batchAxis() >= sig.rank()) {
                    problems.add("output '" + out.name() + "': batch axis " + out.batchAxis()
                            + " is outside its rank " + sig.rank());
                } else if (sig.shape()[out.batchAxis()] >= 0) {
                    problems.add("output '" + out.name() + "': batch axis " + out.batchAxis() + " has fixed size "
                            + sig.shape()[out.batchAxis()] + " in the model, but the catalog batches it");
                }
            });
        }
        return problems;
    }

    private static void checkInput(ModelSpec spec, InputSpec in, TensorSignature sig, List<String> problems) {
        String where = "input '" + in.name() + "'";
        if (in.datatype() != sig.datatype()) {
            problems.add(where + ": catalog says " + in.datatype() + ", the model takes " + sig.datatype());
        }
        long[] sample = in.sampleShape();
        long[] declared = sig.shape();
        if (sample.length != declared.length) {
            problems.add(where + ": catalog shape " + Shapes.format(sample) + " has rank " + sample.length
                    + ", the model's " + Shapes.format(declared) + " has rank " + declared.length);
            return;
        }
        for (int i = 0; i < declared.length; i++) {
            if (declared[i] >= 0 && declared[i] != sample[i]) {
                problems.add(where + ": catalog shape " + Shapes.format(sample) + " contradicts the model's "
                        + Shapes.format(declared) + " at dim " + i);
            }
        }
        if (in.batched()) {
            long batchDim = declared[in.batchAxis()];
            if (spec.batchable() && batchDim >= 0) {
                problems.add(where + ": the catalog batches it on axis " + in.batchAxis()
                        + " but the model fixes that dim to " + batchDim + " (set maxBatchSize: 1)");
            }
        }
    }

    private static void compareNames(String what, Set<String> catalog, Set<String> model, List<String> problems) {
        Set<String> onlyCatalog = new TreeSet<>(catalog);
        onlyCatalog.removeAll(model);
        Set<String> onlyModel = new TreeSet<>(model);
        onlyModel.removeAll(catalog);
        if (!onlyCatalog.isEmpty()) {
            problems.add("catalog " + what + " " + onlyCatalog + " do not exist in the model (it has "
                    + new TreeSet<>(model) + ")");
        }
        if (!onlyModel.isEmpty()) {
            problems.add("model " + what + " " + onlyModel + " are missing from the catalog");
        }
    }
}
