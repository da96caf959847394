package dev.stratus.dataplane.pipeline;

import dev.stratus.core.model.DataType;

/** A pipeline input or output as the metadata endpoint describes it (-1 in the shape: any size). */
public record TensorInfo(String name, DataType datatype, long[] shape) {
    public TensorInfo {
        shape = shape.clone();
    }
}
