package dev.stratus.cli;

import dev.stratus.app.WorkerApplication;
import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stratus operator}: the Kubernetes backend against the current kube context (or, in a pod, its service
 * account): reconciles AcceleratorPools, InferenceModels and InferencePipelines in one namespace.
 */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = {"Run the Kubernetes operator against the current kube context: plans the InferenceModels,",
                "runs worker pods with a warm pool, profiles on the pools' nodes, reports in the status."})
public class OperatorCommand implements Callable<Integer> {
    @Option(names = "--namespace", paramLabel = "NS",
            description = "Namespace to watch and create in (default: the context's, or the pod's own).")
    String namespace;

    @Option(names = "--image", paramLabel = "IMAGE",
            description = "Stratus image for worker pods and profiling Jobs (default: stratus:<this version>).")
    String image;

    @Option(names = "--leader-election", description = "Elect a leader through a Lease (several replicas).")
    boolean leaderElection;

    @Option(names = "--profiles", defaultValue = "profiles", paramLabel = "DIR",
            description = "Profiles shipped with the application, under those measured in the cluster "
                    + "(default: ${DEFAULT-VALUE}).")
    Path profiles;

    @Option(names = "--prometheus-rule", description = "Publish the served models' SLO rules (recording rules and "
            + "burn-rate alerts) as the PrometheusRule stratus-slo, when the Prometheus operator's CRD is installed.")
    boolean prometheusRule;

    @Option(names = "--prometheus-rule-label", paramLabel = "KEY=VALUE", description = "A label of that "
            + "PrometheusRule, e.g. release=kube-prometheus-stack (repeatable).")
    java.util.List<String> prometheusRuleLabels = new java.util.ArrayList<>();

    @Option(names = "--port", defaultValue = "8081", description = "HTTP port for health and metrics "
            + "(default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() {
        System.setProperty("stratus.role", "operator");
        System.setProperty("quarkus.http.port", Integer.toString(port));
        System.setProperty("stratus.profiles.dir", profiles.toAbsolutePath().toString());
        if (namespace != null) {
            System.setProperty("stratus.kubernetes.namespace", namespace);
        }
        if (image != null) {
            System.setProperty("stratus.kubernetes.image", image);
        }
        System.setProperty("stratus.kubernetes.leader-election", Boolean.toString(leaderElection));
        if (prometheusRule) {
            System.setProperty("stratus.kubernetes.prometheus-rule", "true");
        }
        if (!prometheusRuleLabels.isEmpty()) {
            System.setProperty("stratus.kubernetes.prometheus-rule-labels", String.join(",", prometheusRuleLabels));
        }
        Quarkus.run(WorkerApplication.class);
        return StratusCommand.KEEP_RUNNING;
    }
}
