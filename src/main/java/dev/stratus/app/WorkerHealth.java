package dev.stratus.app;

import dev.stratus.core.model.ModelState;
import dev.stratus.dataplane.worker.runtime.ServedModel;
import dev.stratus.dataplane.worker.runtime.WorkerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready} for Kubernetes probes: the same rule as {@code /v2/health/ready} (every model asked for
 * by name serves, the worker is not draining); lists each model's state, a failed one with its reason.
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
            // The default version's state, what an unversioned request meets; a failed one says why, so that a
            // probe's failure explains itself.
            b.withData(m.name(), m.state() == ModelState.FAILED ? "FAILED: " + m.defaultVersion().failure()
                    : m.state().name());
        }
        return b.status(runtime.ready()).withData("draining", runtime.draining()).build();
    }
}
