package dev.stratus.cli;

import dev.stratus.control.ServiceSpec;
import dev.stratus.control.io.ResourceException;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.core.slo.Rule;
import dev.stratus.core.slo.SloRules;
import dev.stratus.core.slo.SloTarget;
import dev.stratus.observability.RuleDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stratus rules}: the Prometheus recording and burn-rate alerting rules for the configured models. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = {"Write the Prometheus rules for the models' SLOs: SLI error ratios over 5m..3d, the 30-day "
                + "error budget, multi-window multi-burn-rate alerts (page, ticket) and the fleet's alerts.",
                "As a rules file for prometheus.yml's rule_files (default), or as a PrometheusRule resource for the "
                        + "Prometheus operator. See docs/observability.md."})
public class RulesCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", defaultValue = "examples/local", paramLabel = "DIR",
            description = "Directory of InferenceModel (and other) documents (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of standard output.")
    Path out;

    @Option(names = "--format", defaultValue = "rules", paramLabel = "rules|prometheus-rule",
            description = "rules (a Prometheus rules file, default) or prometheus-rule (monitoring.coreos.com/v1).")
    String format;

    @Option(names = "--name", defaultValue = RuleDocuments.PROMETHEUS_RULE_NAME, description = "PrometheusRule name (default: "
            + "${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--namespace", description = "PrometheusRule namespace (default: none, the one applied to).")
    String namespace;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("rules") && !format.equals("prometheus-rule")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be rules or prometheus-rule, "
                    + "got '" + format + "'");
        }
        ServiceSpec services;
        try {
            services = ResourceReader.readDirectory(config);
        } catch (ResourceException e) {
            throw new UserException(e.getMessage());
        }
        List<SloTarget> targets;
        try {
            targets = SloTarget.of(services.request().models());
        } catch (IllegalArgumentException e) {
            throw new UserException(config + ": " + e.getMessage());
        }
        List<Rule.Group> groups = SloRules.generate(targets);
        String text = format.equals("rules") ? RuleDocuments.rulesFile(groups)
                : RuleDocuments.yaml(RuleDocuments.prometheusRule(groups, name, namespace,
                        RuleDocuments.defaultLabels()));
        if (out == null) {
            System.out.print(text);
        } else {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.writeString(out, text);
            long rules = groups.stream().mapToLong(g -> g.rules().size()).sum();
            System.err.printf("wrote %d rules in %d groups for %d model(s) to %s%n", rules, groups.size(),
                    targets.size(), out);
        }
        return 0;
    }
}
