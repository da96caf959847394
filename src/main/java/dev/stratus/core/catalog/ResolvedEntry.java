package dev.stratus.core.catalog;

import dev.stratus.core.model.ModelSpec;

/**
 * The entry a model is served with, and how it batches in words (for the metadata endpoint and
 * {@code stratus models add}): which axis requests are stacked on, or why the model is served at batch 1, and
 * whether the entry came from a catalog or from the model's own metadata.
 */
public record ResolvedEntry(ModelSpec spec, String batching) {
}
