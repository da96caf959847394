package dev.stratus.dataplane.worker.runtime;

import dev.stratus.catalog.LocatedModel;
import dev.stratus.core.catalog.ResolvedEntry;
import dev.stratus.core.catalog.SpecInference;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSignature;
import dev.stratus.core.model.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a worker knows of one model version before loading it: its name and version, how to find its file (which
 * may fail: a missing or changed file fails this model only), and the warm-up shapes given for it. Once the model
 * is loaded, {@link #resolve} decides the entry it is served with: the catalog's, checked against the model's own
 * metadata, or one inferred from that metadata.
 */
public final class ModelEntry {
    private final String name;
    private final String version;
    private final Supplier<LocatedModel> locate;
    private final Map<String, long[]> warmUpShapes;
    private final List<InputSpec> knownInputs;
    private final boolean shapesForThisModel;

    private ModelEntry(String name, String version, Supplier<LocatedModel> locate, Map<String, long[]> warmUpShapes,
            List<InputSpec> knownInputs, boolean shapesForThisModel) {
        this.name = name;
        this.version = version;
        this.locate = locate;
        this.warmUpShapes = Map.copyOf(warmUpShapes);
        this.knownInputs = List.copyOf(knownInputs);
        this.shapesForThisModel = shapesForThisModel;
    }

    /**
     * An entry of a worker serving several models: a warm-up shape applies to each model with an input of that
     * name, and is ignored by the others.
     *
     * @param locate       finds and checks the file (throws with a one-line message naming the file)
     * @param knownInputs  inputs to describe before the model is loaded (a catalog model's), else empty
     */
    public static ModelEntry of(String name, String version, Supplier<LocatedModel> locate,
            Map<String, long[]> warmUpShapes, List<InputSpec> knownInputs) {
        return new ModelEntry(name, version, locate, warmUpShapes, knownInputs, false);
    }

    /** An entry whose warm-up shapes were given for this model alone: one naming no input of it is an error. */
    public static ModelEntry single(String name, String version, Supplier<LocatedModel> locate,
            Map<String, long[]> warmUpShapes) {
        return new ModelEntry(name, version, locate, warmUpShapes, List.of(), true);
    }

    /** A catalog entry whose file is already known (tests, benchmarks). */
    public static ModelEntry catalog(ModelSpec spec, Path file) {
        return new ModelEntry(spec.name(), spec.version(), () -> new LocatedModel(file, spec.source(),
                Optional.of(spec), "catalog"), Map.of(), spec.inputs(), true);
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public List<InputSpec> knownInputs() {
        return knownInputs;
    }

    LocatedModel locate() {
        return locate.get();
    }

    /**
     * The entry to serve: the located catalog entry under this name, version and file when there is one (refused
     * when it contradicts the model), else the inference from the metadata.
     *
     * @throws IllegalArgumentException naming every problem
     */
    ResolvedEntry resolve(LocatedModel located, ModelSignature signature) {
        if (located.entry().isEmpty()) {
            Map<String, long[]> shapes = new java.util.LinkedHashMap<>(warmUpShapes);
            if (!shapesForThisModel) {
                shapes.keySet().retainAll(signature.inputs().stream().map(t -> t.name()).toList());
            }
            return SpecInference.infer(name, version, located.source(), signature, shapes);
        }
        ModelSpec e = located.entry().get();
        ModelSpec spec = new ModelSpec(name, version, e.description(), e.licence(), located.source(), e.inputs(),
                e.outputs(), e.maxBatchSize());
        List<String> problems = CatalogConformance.problems(spec, signature);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the catalog entry (" + located.origin() + ") contradicts the model: "
                    + String.join("; ", problems));
        }
        String from = "as the catalog says (" + located.origin() + ")";
        return new ResolvedEntry(spec, spec.batchable() ? "batched " + from + ", up to " + spec.maxBatchSize()
                : "batch 1, " + from);
    }
}
