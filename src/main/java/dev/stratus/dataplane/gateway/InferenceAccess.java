package dev.stratus.dataplane.gateway;

/**
 * Whether a request may use a model through the gateway, given its {@code Authorization} header: models can
 * require a token of their own (docs/security.md). The gateway only applies the decision.
 */
@FunctionalInterface
public interface InferenceAccess {
    /** Every model open to every client. */
    InferenceAccess OPEN = (model, authorization) -> Decision.ALLOW;

    enum Decision {
        ALLOW,
        /** No usable token: 401 with a challenge. */
        UNAUTHENTICATED,
        /** A token, but not one for this model: 403. */
        FORBIDDEN
    }

    Decision check(String model, String authorization);
}
