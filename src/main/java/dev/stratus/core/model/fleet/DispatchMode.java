package dev.stratus.core.model.fleet;

/**
 * How a gateway spreads one model's requests over its replicas. {@code BATCH_AWARE} sends a batch's worth of
 * consecutive requests to one replica before moving to the next, so each batch fills at the model's full
 * arrival rate ((b−1)/r wait instead of (b−1)·n/r); {@code ROUND_ROBIN} spreads request by request.
 */
public enum DispatchMode {
    BATCH_AWARE,
    ROUND_ROBIN
}
