package dev.stratus.app.security;

import dev.stratus.security.AccessTokens;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * Who may do what on the admin API ({@code quarkus.http.auth.permission.admin-api}, every path under
 * {@code /admin}): reading (GET, HEAD) needs the viewer or admin role, anything else (changes, profiling,
 * what-if planning) the admin role. No identity gets 401 with the challenge, the wrong role 403.
 */
@ApplicationScoped
public class AdminAccessPolicy implements HttpSecurityPolicy {
    public static final String NAME = "stratus-admin";

    @Inject
    AccessControl access;

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext requestContext) {
        if (!access.servesAdminApi()) {
            return CheckResult.permit(); // a worker answers 404 for the admin API (AdminRoleFilter)
        }
        HttpMethod method = request.request().method();
        return identity.map(id -> allows(method, id.getRoles()) ? CheckResult.PERMIT : CheckResult.DENY);
    }

    /** The rule itself: viewers read, admins read and change. */
    public static boolean allows(HttpMethod method, Set<String> roles) {
        if (roles.contains(AccessTokens.ADMIN)) {
            return true;
        }
        return roles.contains(AccessTokens.VIEWER) && (method == HttpMethod.GET || method == HttpMethod.HEAD);
    }

    static boolean isAdminPath(String normalizedPath) {
        return normalizedPath != null && (normalizedPath.equals("/admin") || normalizedPath.startsWith("/admin/"));
    }

    @Override
    public String name() {
        return NAME;
    }
}
