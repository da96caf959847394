package dev.stratus.resource;

import java.util.List;

/** The resource kinds, their API version, and the spec type each binds. */
public final class Kinds {
    public static final String GROUP = "stratus.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String POOL = "AcceleratorPool";
    public static final String MODEL = "InferenceModel";
    public static final String PIPELINE = "InferencePipeline";
    public static final List<String> ALL = List.of(POOL, MODEL, PIPELINE);

    private Kinds() {
    }

    /** The spec type of a kind; IllegalArgumentException for any other kind. */
    public static Class<? extends ResourceSpec> specType(String kind) {
        return switch (kind) {
            case POOL -> AcceleratorPoolSpec.class;
            case MODEL -> InferenceModelSpec.class;
            case PIPELINE -> InferencePipelineSpec.class;
            default -> throw new IllegalArgumentException("kind must be AcceleratorPool, InferenceModel or "
                    + "InferencePipeline, got '" + kind + "'");
        };
    }
}
