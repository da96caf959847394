package dev.stratus.core.model.plan;

/** How the gateway spreads one tuple's requests over its replicas. */
public enum DispatchPolicy {
    /** Fill one replica's batch with consecutive requests, then move to the next (Harpagon); waits ≈ (b−1)/r. */
    BATCH_AWARE,
    /** Round-robin request by request; each replica fills its batch from r/n, waits ≈ (b−1)·n/r. */
    SPREAD,
    /** Nexus' default: deficit round robin weighted by each replica's planned throughput (spreads like SPREAD). */
    DEFICIT_ROUND_ROBIN
}
