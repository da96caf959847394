package dev.stratus.app;

import dev.stratus.dataplane.worker.runtime.ServedModel;
import dev.stratus.dataplane.worker.runtime.WorkerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready} for Kubernetes probes: up once every model has been tried and one serves, and the worker is
 * not draining (the same rule as {@code /v2/health/ready}); lists each model's state.
 */
@Readiness
@ApplicationScoped
public class WorkerHealth implements HealthCheck {
    @Inject
    WorkerRole worker;

    @Override
    public HealthCheckResponse call() {
        WorkerRuntime runtime = worker.runtime();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("models");
        if (runtime == null) {
            return b.up().withData("role", "none").build();
        }
        for (ServedModel m : runtime.served()) {
            b.withData(m.name(), m.state().name()); // the default version's: what an unversioned request meets
        }
        return b.status(runtime.ready()).withData("draining", runtime.draining()).build();
    }
}
