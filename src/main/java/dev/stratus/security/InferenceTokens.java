package dev.stratus.security;

import dev.stratus.dataplane.gateway.InferenceAccess;
import java.util.function.Supplier;

/**
 * The gateway's per-model check: a model that some {@code infer:MODEL} token names may only be used with one of
 * those tokens; a model no token names stays open to every client.
 */
public final class InferenceTokens implements InferenceAccess {
    private final Supplier<AccessTokens> tokens;

    /** @param tokens the tokens in force, read on every request (they are set up after the gateway exists) */
    public InferenceTokens(Supplier<AccessTokens> tokens) {
        this.tokens = tokens;
    }

    @Override
    public Decision check(String model, String authorization) {
        AccessTokens current = tokens.get();
        if (!current.guardsInference(model)) {
            return Decision.ALLOW;
        }
        String token = Bearer.token(authorization);
        if (token == null) {
            return Decision.UNAUTHENTICATED;
        }
        return current.rolesOf(token).contains(AccessTokens.inferRole(model)) ? Decision.ALLOW : Decision.FORBIDDEN;
    }
}
