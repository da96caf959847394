package dev.stratus.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Builds the JOSDK operator with the three reconcilers, watching one namespace. The same factory serves the
 * {@code operator} role and the tests; they differ only in server-side apply (the mock API server has none) and
 * leader election.
 */
public final class OperatorFactory {
    private static final Logger LOG = Logger.getLogger(OperatorFactory.class);
    public static final String LEASE = "stratus-operator";

    private OperatorFactory() {
    }

    /**
     * @param identity this replica's name in the Lease (the pod name); empty: no leader election (tests, and a
     *                 single replica run by hand), the runtime acts at once
     */
    public static Operator create(KubernetesClient client, StratusOperator runtime, String namespace, boolean ssa,
            Optional<String> identity) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client).withCloseClientOnStop(false).withUseSSAToPatchPrimaryResource(ssa)
                    .withSSABasedCreateUpdateMatchForDependentResources(ssa);
            identity.ifPresent(id -> o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE,
                    namespace, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), id,
                    new LeaderCallbacks(runtime::activate, () -> LOG.warn("leadership lost: stopping"),
                            leader -> LOG.infof("leader is %s", leader)), true)));
        });
        operator.register(new InferenceModelReconciler(runtime, ssa), c -> c.settingNamespace(namespace));
        operator.register(new AcceleratorPoolReconciler(runtime, ssa), c -> c.settingNamespace(namespace));
        operator.register(new InferencePipelineReconciler(runtime, ssa), c -> c.settingNamespace(namespace));
        return operator;
    }

    /** Starts the operator; without leader election the runtime acts at once. */
    public static void start(Operator operator, StratusOperator runtime, boolean leaderElection) {
        operator.start();
        if (!leaderElection) {
            runtime.activate();
        }
    }
}
