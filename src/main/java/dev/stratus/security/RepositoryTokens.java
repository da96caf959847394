package dev.stratus.security;

import dev.stratus.dataplane.worker.http.RepositoryAccess;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The worker's check for its model repository endpoints: only an admin token may load or list versions, the rule
 * of the admin API's changes; with no admin token configured on the worker, nobody may.
 */
public final class RepositoryTokens implements RepositoryAccess {
    private final Supplier<AccessTokens> tokens;

    /** @param tokens the tokens in force, read on every request (they are set up after the routes exist) */
    public RepositoryTokens(Supplier<AccessTokens> tokens) {
        this.tokens = tokens;
    }

    @Override
    public Decision check(String authorization) {
        String token = Bearer.token(authorization);
        if (token == null) {
            return Decision.UNAUTHENTICATED;
        }
        Set<String> roles = tokens.get().rolesOf(token);
        if (roles.isEmpty()) {
            return Decision.UNAUTHENTICATED;
        }
        return roles.contains(AccessTokens.ADMIN) ? Decision.ALLOW : Decision.FORBIDDEN;
    }
}
