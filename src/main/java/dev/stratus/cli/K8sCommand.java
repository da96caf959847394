package dev.stratus.cli;

import dev.stratus.control.io.ResourceException;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.core.planning.PlanningException;
import dev.stratus.operator.WorkloadSettings;
import dev.stratus.operator.render.ManifestRenderer;
import dev.stratus.profiles.FileProfileStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stratus k8s render}: the manifests the operator would create, without a cluster. */
@Command(name = "k8s", mixinStandardHelpOptions = true, description = "Kubernetes helpers.",
        subcommands = {K8sCommand.Render.class})
public class K8sCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = {"Print the pods, Services and profiling Jobs the operator would create for a directory",
                    "of AcceleratorPool / InferenceModel / InferencePipeline documents (its first plan for the",
                    "expected load), as YAML, for review. Needs no cluster."})
    static class Render implements Callable<Integer> {
        @Option(names = "--config", required = true, paramLabel = "DIR", description = "Directory of resources.")
        Path config;

        @Option(names = "--namespace", defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
        String namespace;

        @Option(names = "--image", paramLabel = "IMAGE", description = "Stratus image (default: stratus:<version>).")
        String image;

        @Option(names = "--profiles", defaultValue = "profiles", paramLabel = "DIR",
                description = "Profile store (default: ${DEFAULT-VALUE}).")
        Path profiles;

        @Override
        public Integer call() {
            WorkloadSettings d = WorkloadSettings.defaults(namespace);
            WorkloadSettings settings = new WorkloadSettings(namespace, image == null ? d.image() : image,
                    d.imagePullPolicy(), d.workerServiceAccount(), d.profilerServiceAccount(), d.drainSeconds());
            try {
                System.out.print(ManifestRenderer.yaml(ManifestRenderer.render(
                        ResourceReader.readResources(config), new FileProfileStore(profiles), settings)));
            } catch (ResourceException | PlanningException e) {
                throw new UserException(e.getMessage());
            }
            return 0;
        }
    }
}
