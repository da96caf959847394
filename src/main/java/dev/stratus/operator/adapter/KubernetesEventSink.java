package dev.stratus.operator.adapter;

import dev.stratus.core.autoscaling.ScalingEvent;
import dev.stratus.core.port.EventSink;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The {@link EventSink} on Kubernetes: every scaling decision and fleet action becomes an Event on the
 * InferenceModel(s) it concerns ({@code kubectl describe inferencemodel vad}), its reason the action in CamelCase
 * (ScaleUp, PromoteWarm, Drain, ...). A group's events go to each of its models; fleet-wide re-plans go to the log
 * only (they would otherwise be one Event per model on every re-plan).
 */
public final class KubernetesEventSink implements EventSink {
    private static final Logger LOG = Logger.getLogger(KubernetesEventSink.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Function<String, Optional<HasMetadata>> models;

    /** @param models the InferenceModel of a name, if it exists */
    public KubernetesEventSink(KubernetesClient client, String namespace,
            Function<String, Optional<HasMetadata>> models) {
        this.client = client;
        this.namespace = namespace;
        this.models = models;
    }

    @Override
    public void record(ScalingEvent event) {
        for (String model : modelsOf(event.model())) {
            models.apply(model).ifPresent(m -> write(m, event));
        }
    }

    /** "a+b@pool" concerns a and b; "vad@pool" and "model vad" concern vad; "fleet" none. */
    static List<String> modelsOf(String subject) {
        String s = subject.replaceFirst("^model ", "");
        if (s.equals("fleet") || s.startsWith("pipeline ")) {
            return List.of();
        }
        int at = s.lastIndexOf('@');
        return List.of((at < 0 ? s : s.substring(0, at)).split("\\+"));
    }

    /** ScaleUp, PromoteWarm, ... from SCALE_UP, PROMOTE_WARM, ... */
    static String reason(ScalingEvent.Kind kind) {
        StringBuilder out = new StringBuilder();
        for (String part : kind.name().split("_")) {
            out.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    private void write(HasMetadata model, ScalingEvent e) {
        String now = Instant.ofEpochMilli(e.atMillis()).toString();
        boolean warning = e.kind() == ScalingEvent.Kind.RESTART || e.reason().startsWith("no feasible plan");
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder().withNewMetadata()
                    .withGenerateName(model.getMetadata().getName() + ".").withName(model.getMetadata().getName() + "."
                            + Long.toHexString(e.atMillis()) + Integer.toHexString(Math.abs(e.hashCode() % 4096)))
                    .withNamespace(namespace).endMetadata()
                    .withNewInvolvedObject().withApiVersion(model.getApiVersion()).withKind(model.getKind())
                    .withName(model.getMetadata().getName()).withNamespace(namespace)
                    .withUid(model.getMetadata().getUid()).endInvolvedObject()
                    .withReason(reason(e.kind())).withType(warning ? "Warning" : "Normal")
                    .withMessage(e.reason() + " (" + e.fromReplicas() + " -> " + e.toReplicas() + ")")
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("stratus-operator").endSource().build()).create();
        } catch (RuntimeException ex) {
            // An event that cannot be written must not stop the decision it reports.
            LOG.warnf("cannot write the %s event on %s: %s", e.kind(), model.getMetadata().getName(), ex.getMessage());
        }
    }
}
