package dev.stratus.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * The worker process's main loop. SIGTERM (and SIGINT) start a drain (readiness drops, new requests get 503,
 * queued and running requests finish) and then a normal exit with status 0, as Kubernetes expects of a pod
 * that is being stopped.
 */
public class WorkerApplication implements QuarkusApplication {
    private static final Logger LOG = Logger.getLogger(WorkerApplication.class);

    @Inject
    WorkerRole worker;

    @Inject
    dev.stratus.config.StratusConfig config;

    @Override
    public int run(String... args) {
        Signal.handle(new Signal("TERM"), s -> drainThenExit());
        Signal.handle(new Signal("INT"), s -> drainThenExit());
        Quarkus.waitForExit();
        return worker.exitCode();
    }

    private void drainThenExit() {
        Thread.ofPlatform().name("drain").start(() -> {
            LOG.info("signal received: draining");
            try {
                if (worker.runtime() != null) {
                    worker.runtime().drain(config.worker().drainTimeoutMs());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Quarkus.asyncExit(0);
        });
    }
}
