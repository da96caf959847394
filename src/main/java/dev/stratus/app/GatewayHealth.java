package dev.stratus.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready} of the in-cluster gateway (its Deployment's readiness probe): up once it knows the serving
 * pods and the models' routing facts, so that a Service sends it no traffic it would refuse for want of a route
 * while it cannot reach the API server. Up in every other role, where it has nothing to say.
 */
@Readiness
@ApplicationScoped
public class GatewayHealth implements HealthCheck {
    @Inject
    GatewayRole gateway;

    @Override
    public HealthCheckResponse call() {
        if (!gateway.active()) {
            return HealthCheckResponse.named("gateway-routes").up().withData("role", "other").build();
        }
        boolean synced = gateway.routesSynced();
        return HealthCheckResponse.named("gateway-routes").status(synced)
                .withData("routes", synced ? "watching serving pods and models" : "waiting for the API server")
                .build();
    }
}
