package dev.stratus.operator.adapter;

import dev.stratus.core.port.Clock;
import dev.stratus.core.slo.SloRules;
import dev.stratus.core.slo.SloTarget;
import dev.stratus.observability.RuleDocuments;
import dev.stratus.operator.Labels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Publishes the SLO rules of the models the operator serves as one PrometheusRule ({@code monitoring.coreos.com/v1},
 * the Prometheus operator's kind), made by the one rule generator ({@link SloRules}, serialised by
 * {@link RuleDocuments#prometheusRule}, exactly what {@code ./stratus rules --format prometheus-rule} writes for
 * the same models) and converted to a Kubernetes object here.
 *
 * <p>Written only when the rules, labels or owners differ from what the cluster holds (no write while nothing
 * changed, none after an operator restart), deleted when no model has an SLO. It is owned by the InferenceModels it
 * covers, so the garbage collector removes it with the last of them, and labelled as the operator's.
 *
 * <p>Active only while the PrometheusRule CRD is served: asked through API discovery (which every authenticated
 * account may read, so no cluster-wide RBAC is needed, unlike reading the CRD itself as JOSDK's CRD-present
 * activation condition does), and asked again at most every {@link #RECHECK_MILLIS} while absent, so that a
 * Prometheus operator installed later is picked up. A failed write is logged and retried after the same back-off.
 */
public final class PrometheusRulePublisher {
    private static final Logger LOG = Logger.getLogger(PrometheusRulePublisher.class);
    public static final String NAME = RuleDocuments.PROMETHEUS_RULE_NAME;
    static final String API_VERSION = RuleDocuments.PROMETHEUS_RULE_API_VERSION;
    static final String KIND = RuleDocuments.PROMETHEUS_RULE_KIND;
    static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup("monitoring.coreos.com").withVersion("v1").withKind(KIND).withPlural("prometheusrules")
            .withNamespaced(true).build();
    /** How long an absent CRD or a failed write waits before the next try. */
    static final long RECHECK_MILLIS = 60_000;

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, String> labels;
    private final Clock clock;
    /** What the cluster holds, as far as this replica knows (null: not known yet, e.g. after a start). */
    private Published published;
    private long notBeforeMillis;
    private boolean reportedAbsent;

    /** What matters of a PrometheusRule: the spec's groups, our labels and the owners' uids. */
    private record Published(Object spec, Map<String, String> labels, Set<String> owners) {
    }

    /** No PrometheusRule. */
    private static final Published ABSENT = new Published(null, Map.of(), Set.of());

    /**
     * @param labels labels the Prometheus operator's {@code ruleSelector} matches (e.g. {@code release}), beside
     *               the chart's own
     */
    public PrometheusRulePublisher(KubernetesClient client, String namespace, Map<String, String> labels, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        Map<String, String> all = new LinkedHashMap<>(RuleDocuments.defaultLabels());
        all.putAll(labels);
        all.put(Labels.MANAGED_BY, Labels.MANAGER);
        this.labels = Map.copyOf(all);
        this.clock = clock;
    }

    /**
     * Brings the cluster's PrometheusRule in line with these SLOs (none: no PrometheusRule). Cheap when nothing
     * changed: no API call at all.
     *
     * @param owners the InferenceModels the rules come from
     */
    public synchronized void publish(List<SloTarget> targets, List<OwnerReference> owners) {
        GenericKubernetesResource desired = targets.isEmpty() ? null : desired(targets, owners);
        Published wanted = desired == null ? ABSENT : published(desired);
        if (wanted.equals(published)) {
            return;
        }
        if (clock.millis() < notBeforeMillis || !crdServed()) {
            return;
        }
        try {
            var resource = client.genericKubernetesResources(CONTEXT).inNamespace(namespace).withName(NAME);
            GenericKubernetesResource current = resource.get();
            if (desired == null) {
                if (current != null) {
                    resource.delete();
                    LOG.infof("PrometheusRule %s deleted: no model has an SLO", NAME);
                }
                published = ABSENT;
                return;
            }
            if (current == null) {
                client.genericKubernetesResources(CONTEXT).inNamespace(namespace).resource(desired).create();
                LOG.infof("PrometheusRule %s created: SLO rules of %d model(s)", NAME, targets.size());
            } else if (!published(current).equals(wanted)) {
                desired.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
                client.genericKubernetesResources(CONTEXT).inNamespace(namespace).resource(desired).update();
                LOG.infof("PrometheusRule %s updated: SLO rules of %d model(s)", NAME, targets.size());
            }
            published = wanted;
        } catch (RuntimeException e) {
            // Forbidden (the chart's RBAC off), a conflict with another writer, the API server away: try later.
            published = null;
            notBeforeMillis = clock.millis() + RECHECK_MILLIS;
            LOG.warnf("cannot write the PrometheusRule %s (retrying in %d s): %s", NAME, RECHECK_MILLIS / 1000,
                    e.getMessage());
        }
    }

    /** Whether the API server serves PrometheusRules (the Prometheus operator's CRDs are installed). */
    private boolean crdServed() {
        boolean served;
        try {
            served = client.supports(API_VERSION, KIND);
        } catch (RuntimeException e) {
            served = false;
        }
        if (!served) {
            notBeforeMillis = clock.millis() + RECHECK_MILLIS;
            if (!reportedAbsent) {
                reportedAbsent = true;
                LOG.infof("the API server serves no %s (%s): the SLO rules are not published; asked again every "
                        + "%d s", KIND, API_VERSION, RECHECK_MILLIS / 1000);
            }
        } else {
            reportedAbsent = false;
        }
        return served;
    }

    /** The PrometheusRule of these SLOs: the generator's document, as a Kubernetes object. */
    GenericKubernetesResource desired(List<SloTarget> targets, List<OwnerReference> owners) {
        GenericKubernetesResource rule = client.getKubernetesSerialization().convertValue(
                RuleDocuments.prometheusRule(SloRules.generate(targets), NAME, namespace, labels),
                GenericKubernetesResource.class);
        rule.getMetadata().setOwnerReferences(owners);
        return rule;
    }

    /** What matters of a PrometheusRule: its spec, our labels on it, its owners. */
    private Published published(GenericKubernetesResource r) {
        Map<String, String> have = r.getMetadata().getLabels() == null ? Map.of() : r.getMetadata().getLabels();
        Map<String, String> ours = new LinkedHashMap<>();
        labels.keySet().forEach(k -> {
            if (have.containsKey(k)) {
                ours.put(k, have.get(k));
            }
        });
        Set<String> uids = r.getMetadata().getOwnerReferences() == null ? Set.of()
                : r.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid).collect(Collectors.toSet());
        return new Published(r.getAdditionalProperties().get("spec"), Map.copyOf(ours), uids);
    }
}
