package dev.stratus.resource;

/** The spec of one of the three resource kinds. */
public sealed interface ResourceSpec permits AcceleratorPoolSpec, InferenceModelSpec, InferencePipelineSpec {

    /** The kind a spec of this type belongs to. */
    static String kindOf(ResourceSpec spec) {
        return switch (spec) {
            case AcceleratorPoolSpec p -> Kinds.POOL;
            case InferenceModelSpec m -> Kinds.MODEL;
            case InferencePipelineSpec p -> Kinds.PIPELINE;
        };
    }
}
