package dev.stratus.app;

import dev.stratus.config.StratusConfig;
import dev.stratus.control.ControlService;
import dev.stratus.core.port.Clock;
import dev.stratus.operator.WorkloadSettings;
import dev.stratus.operator.adapter.GatewayTrafficObserver;
import dev.stratus.operator.reconcile.OperatorFactory;
import dev.stratus.operator.reconcile.StratusOperator;
import dev.stratus.profiles.FileProfileStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Wires the operator role: the Kubernetes client of the current context (in a pod: its service account), the
 * control loop's ports on the cluster, and the JOSDK operator with the three reconcilers, with leader election when
 * configured. No other role reaches this code, so no other role touches Kubernetes.
 */
@ApplicationScoped
public class OperatorRole {
    private static final Logger LOG = Logger.getLogger(OperatorRole.class);

    @Inject
    StratusConfig config;

    @Inject
    Instance<KubernetesClient> clients;

    private volatile StratusOperator runtime;
    private volatile Operator operator;

    void start(@Observes StartupEvent event) {
        if (!"operator".equals(config.role())) {
            return;
        }
        try {
            KubernetesClient client = clients.get();
            StratusConfig.Kubernetes k = config.kubernetes();
            String namespace = k.namespace().orElse(client.getNamespace() == null ? "default" : client.getNamespace());
            WorkloadSettings defaults = WorkloadSettings.defaults(namespace);
            WorkloadSettings settings = new WorkloadSettings(namespace, k.image().orElse(defaults.image()),
                    k.imagePullPolicy(), k.workerServiceAccount(), k.profilerServiceAccount(), defaults.drainSeconds());
            runtime = new StratusOperator(client, settings, new FileProfileStore(Path.of(config.profiles().dir())),
                    new GatewayTrafficObserver(client, namespace, k.gatewayPort()), Clock.SYSTEM,
                    new ControlService.Settings(config.control().periodMs(), config.control().policy(),
                            config.control().colocation(), ControlService.Settings.DEFAULT.rule(),
                            // Pods run on many nodes: the warm pool may add a burst standby, unlike on one machine.
                            dev.stratus.core.autoscaling.WarmPoolPolicy.DEFAULT));
            Optional<String> identity = k.leaderElection()
                    ? Optional.of(Optional.ofNullable(System.getenv("HOSTNAME")).orElse("stratus-operator"))
                    : Optional.empty();
            operator = OperatorFactory.create(client, runtime, namespace, true, identity);
            OperatorFactory.start(operator, runtime, identity.isPresent());
            LOG.infof("operator watching namespace %s (image %s, leader election %s)", namespace, settings.image(),
                    identity.isPresent() ? "on" : "off");
        } catch (RuntimeException e) {
            LOG.errorf("the operator cannot start: %s", e.getMessage());
            Quarkus.asyncExit(1);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (operator != null) {
            operator.stop();
        }
        if (runtime != null) {
            runtime.close();
        }
    }
}
