package dev.stratus.dataplane.worker.http;

/**
 * Whether a request may use a worker's model repository endpoints, given its {@code Authorization} header: they
 * change what the worker serves, so they need an admin token as the admin API does (docs/security.md). The worker
 * only applies the decision.
 */
@FunctionalInterface
public interface RepositoryAccess {

    enum Decision {
        ALLOW,
        /** No token, or one that matches nothing: 401 with a challenge. */
        UNAUTHENTICATED,
        /** A valid token whose role may not change models (a viewer's): 403. */
        FORBIDDEN
    }

    Decision check(String authorization);
}
