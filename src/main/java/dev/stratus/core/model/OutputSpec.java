package dev.stratus.core.model;

/** One model output: the axis along which a batched result is split back per request. */
public record OutputSpec(String name, int batchAxis) {
}
