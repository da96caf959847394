package dev.stratus.operator.adapter;

import dev.stratus.operator.Labels;
import dev.stratus.operator.SiteGatewaySettings;
import dev.stratus.operator.WorkloadSettings;
import dev.stratus.operator.adapter.SiteGatewayObjects.SiteGateway;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Keeps one gateway Deployment and Service per edge site in line with the pools (create, replace when its spec
 * hash changes, delete when no pool names the site any more), in the operator's create-or-replace style, and says
 * how each site's gateway is doing, from a watch of the Deployments it made.
 */
public final class SiteGatewayDeployments implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SiteGatewayDeployments.class);

    /** How a site's gateway is doing: the pool's {@code SiteGatewayReady} condition. */
    public record State(boolean ready, String reason, String message) {
    }

    private final KubernetesClient client;
    private final WorkloadSettings workload;
    private final SiteGatewaySettings settings;
    private final SharedIndexInformer<Deployment> deployments;
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    public SiteGatewayDeployments(KubernetesClient client, WorkloadSettings workload, SiteGatewaySettings settings,
            Runnable onChange) {
        this.client = client;
        this.workload = workload;
        this.settings = settings;
        this.deployments = client.apps().deployments().inNamespace(workload.namespace())
                .withLabel(Labels.MANAGED_BY, Labels.MANAGER).withLabel(Labels.NAME, SiteGatewayObjects.NAME)
                .inform(OnAnyChange.run(onChange));
    }

    /**
     * Brings the sites' gateways in line with {@code desired}; a failure (e.g. the API server refusing) is kept for
     * the site's condition and tried again on the next pass.
     *
     * @param owners the owner references of a site's pools
     */
    public synchronized void reconcile(List<SiteGateway> desired, Function<List<String>, List<OwnerReference>> owners) {
        Set<String> wanted = new HashSet<>();
        for (SiteGateway g : desired) {
            wanted.add(g.name());
            try {
                apply(g, owners.apply(g.pools()));
                failures.remove(g.site());
            } catch (KubernetesClientException e) {
                String why = "cannot write the gateway of edge site '" + g.site() + "': " + e.getMessage();
                if (!why.equals(failures.put(g.site(), why))) {
                    LOG.warn(why);
                }
            }
        }
        for (Deployment d : deployments.getStore().list()) {
            String name = d.getMetadata().getName();
            if (!wanted.contains(name)) {
                client.apps().deployments().inNamespace(workload.namespace()).withName(name).delete();
                client.services().inNamespace(workload.namespace()).withName(name).delete();
                LOG.infof("site gateway %s deleted: no edge pool names site '%s' any more", name,
                        d.getMetadata().getAnnotations() == null ? "?" : d.getMetadata().getAnnotations().get(Labels.SITE));
            }
        }
        failures.keySet().retainAll(desired.stream().map(SiteGateway::site).toList());
    }

    private void apply(SiteGateway g, List<OwnerReference> owners) {
        Deployment want = SiteGatewayObjects.deployment(g, settings, workload, owners);
        Deployment have = deployments.getStore().getByKey(workload.namespace() + "/" + g.name());
        Deployment now = have;
        if (have == null) {
            try {
                now = client.apps().deployments().inNamespace(workload.namespace()).resource(want).create();
                LOG.infof("site gateway %s created for edge site '%s' (pools %s)", g.name(), g.site(), g.pools());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // Created by the previous pass, not yet seen by the watch: compared on the next pass.
                now = client.apps().deployments().inNamespace(workload.namespace()).withName(g.name()).get();
                if (now == null) {
                    throw e;
                }
            }
        } else if (!Objects.equals(hash(have), hash(want))) {
            want.getMetadata().setResourceVersion(have.getMetadata().getResourceVersion());
            now = client.apps().deployments().inNamespace(workload.namespace()).resource(want).update();
            LOG.infof("site gateway %s updated: edge site '%s' (pools %s) changed", g.name(), g.site(), g.pools());
        }
        OwnerReference byDeployment = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                .withName(g.name()).withUid(now.getMetadata().getUid()).withController(true)
                .withBlockOwnerDeletion(false).build();
        Service wantService = SiteGatewayObjects.service(g, settings, workload, List.of(byDeployment));
        Service haveService = client.services().inNamespace(workload.namespace()).withName(g.name()).get();
        if (haveService != null && !Objects.equals(hash(haveService), hash(wantService))) {
            // The Service's type or port changed (a new release setting): made again, as the operator has no update.
            client.services().inNamespace(workload.namespace()).withName(g.name()).delete();
            haveService = null;
        }
        if (haveService == null) {
            client.services().inNamespace(workload.namespace()).resource(wantService).create();
        }
    }

    private static String hash(io.fabric8.kubernetes.api.model.HasMetadata o) {
        return o.getMetadata().getAnnotations() == null ? null : o.getMetadata().getAnnotations().get(Labels.SPEC_HASH);
    }

    /** How the gateway of {@code site} is doing now. */
    public State state(String site) {
        String failure = failures.get(site);
        if (failure != null) {
            return new State(false, "WriteFailed", failure);
        }
        String name = SiteGatewayObjects.name(site);
        Deployment d = deployments.getStore().getByKey(workload.namespace() + "/" + name);
        if (d == null) {
            return new State(false, "Pending", "the gateway of edge site '" + site + "' is not created yet");
        }
        int want = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
        var s = d.getStatus();
        int available = s == null || s.getAvailableReplicas() == null ? 0 : s.getAvailableReplicas();
        int updated = s == null || s.getUpdatedReplicas() == null ? 0 : s.getUpdatedReplicas();
        boolean observed = s != null && s.getObservedGeneration() != null && d.getMetadata().getGeneration() != null
                && s.getObservedGeneration() >= d.getMetadata().getGeneration();
        String where = "Deployment and Service " + name + " (port " + settings.servicePort() + "), forwarding to "
                + settings.cloudUrl();
        if (observed && updated >= want && available >= want) {
            return new State(true, "Available", where + ": " + available + " of " + want + " pod(s) ready");
        }
        return new State(false, observed ? "PodsNotReady" : "Progressing", where + ": " + available + " of " + want
                + " pod(s) available" + (observed ? "" : ", rollout of the latest spec not observed yet"));
    }

    @Override
    public void close() {
        deployments.close();
    }
}
