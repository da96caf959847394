package dev.stratus.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** The admin API belongs to the control service: a worker process answers 404 for it. */
public class AdminRoleFilter {

    @ServerRequestFilter
    public Response onlyOnController(ContainerRequestContext ctx) {
        // Read per request: filters are created before runtime configuration exists.
        String role = ConfigProvider.getConfig().getOptionalValue("stratus.role", String.class).orElse("none");
        if ("worker".equals(role) && ctx.getUriInfo().getPath().startsWith("/admin")) {
            return AdminErrors.error(404, "the admin API is served by the control service, not by workers");
        }
        return null;
    }
}
