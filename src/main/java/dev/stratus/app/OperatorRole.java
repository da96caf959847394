package dev.stratus.app;

import dev.stratus.config.StratusConfig;
import dev.stratus.control.ControlService;
import dev.stratus.core.autoscaling.WarmPoolPolicy;
import dev.stratus.operator.RulePublishing;
import dev.stratus.operator.launch.OperatorLauncher;
import dev.stratus.profiles.FileProfileStore;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Wires the operator role: the control loop on the cluster and the JOSDK operator with the three reconcilers,
 * with leader election when configured. No other role reaches this code, so no other role touches Kubernetes.
 */
@ApplicationScoped
public class OperatorRole {
    private static final Logger LOG = Logger.getLogger(OperatorRole.class);

    @Inject
    StratusConfig config;

    private volatile AutoCloseable operator;

    void start(@Observes StartupEvent event) {
        if (!"operator".equals(config.role())) {
            return;
        }
        try {
            StratusConfig.Kubernetes k = config.kubernetes();
            ControlService.Settings d = ControlService.Settings.DEFAULT;
            operator = OperatorLauncher.operator(new OperatorLauncher.OperatorOptions(k.namespace(), k.image(),
                    k.imagePullPolicy(), k.workerServiceAccount(), k.profilerServiceAccount(), k.leaderElection(),
                    k.gatewayPort(), new ControlService.Settings(config.control().periodMs(), config.control().policy(),
                    config.control().colocation(), d.rule(),
                    // Pods run on many nodes: the warm pool may add a burst standby, unlike on one machine.
                    WarmPoolPolicy.DEFAULT), k.prometheusRule()
                    ? RulePublishing.on(k.prometheusRuleLabels().orElse(List.of())) : RulePublishing.OFF,
                    // The gateways take the same admin token (one Secret for the release) on their traffic endpoint.
                    config.security().adminToken().filter(t -> !t.isBlank()),
                    // Each edge site's gateway is shaped as the release's main gateway (the chart's values).
                    new OperatorLauncher.SiteGatewayOptions(k.gatewayServiceAccount(), k.gatewayUrl(),
                            Optional.of(k.tokensSecret()), k.gatewayResources(), k.gatewayServiceType(),
                            k.gatewayServicePort())),
                    new FileProfileStore(Path.of(config.profiles().dir())));
            LOG.infof("operator started (leader election %s, SLO rules as a PrometheusRule %s)",
                    k.leaderElection() ? "on" : "off", k.prometheusRule() ? "on" : "off");
        } catch (RuntimeException e) {
            LOG.errorf("the operator cannot start: %s", e.getMessage());
            Quarkus.asyncExit(1);
        }
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (operator != null) {
            operator.close();
        }
    }
}
