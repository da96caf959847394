package dev.stratus.core.simulation.policy;

/**
 * Clipper's adaptive batching: add {@code additiveStep} to a replica's batch cap after a full batch that met the
 * latency objective, multiply it by (1 − {@code backoff}) after one that did not. Clipper (NSDI'17 §4.3) describes
 * additive increase and a small multiplicative backoff; the 10 % figure is from the paper as recalled in our notes
 * and could not be checked there ({@code ../shared/reference/serving-papers.md} §1.6, §6), so both are settable.
 */
public record AimdSettings(int additiveStep, double backoff) {

    public AimdSettings {
        if (additiveStep < 1 || !(backoff > 0) || backoff >= 1) {
            throw new IllegalArgumentException("AIMD needs additiveStep >= 1 and 0 < backoff < 1");
        }
    }

    public static AimdSettings defaults() {
        return new AimdSettings(1, 0.1);
    }
}
