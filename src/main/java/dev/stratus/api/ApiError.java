package dev.stratus.api;

/** The error body of every admin API failure, the same shape as Open Inference Protocol errors. */
public record ApiError(String error) {
}
