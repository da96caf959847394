package dev.stratus.operator.adapter;

import dev.stratus.core.model.fleet.DispatchMode;
import dev.stratus.core.model.fleet.ModelRoute;
import dev.stratus.core.model.fleet.RouteTarget;
import dev.stratus.core.model.fleet.PipelineRoute;
import dev.stratus.core.model.fleet.RoutingTable;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.operator.crd.InferencePipeline;
import dev.stratus.core.port.RoutePublisher;
import dev.stratus.operator.Labels;
import dev.stratus.operator.WorkloadSettings;
import dev.stratus.operator.crd.InferenceModel;
import dev.stratus.resource.ModelRouting;
import dev.stratus.resource.RouteGroup;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What an in-cluster gateway routes by: serving, ready worker pods it discovers through a watch, joined with each
 * InferenceModel's routing facts from its status (SLO, dispatch, batch and batch latency per worker group). The
 * table goes to the same {@link dev.stratus.dataplane.gateway.Gateway} as locally, so dispatch, admission and
 * retries are the same code. A pod leaves the table as soon as it is relabelled draining or starts terminating.
 *
 * <p>Each pod's target carries its pool's edge site (the pod's {@code stratus.dev/site} annotation; none: the
 * cloud's), and the {@code Gateway} keeps the targets of its own site: the cloud gateway routes only to the pods of
 * pools at no edge site (an edge pod is never sent cloud traffic; a model served only at edge sites is refused
 * there with the sites named), and a site's gateway is fed only its site's pods (the watch selects them by label).
 *
 * <p>The watches start without blocking and retry (with the client's back-off) while the API server cannot be
 * reached, so a gateway comes up, answers its health probes, and is ready ({@link #synced()}) once it knows the
 * pods and models, rather than crash-looping whenever the API server is briefly away at its start.
 */
public final class KubernetesRoutes implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KubernetesRoutes.class);
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<InferenceModel> models;
    private final SharedIndexInformer<InferencePipeline> pipelines;
    private final RoutePublisher gateway;
    private final Map<String, Double> sites;
    private volatile RoutingTable last;

    /** The cloud gateway's routes: every worker pod, each tagged with its site. */
    public KubernetesRoutes(KubernetesClient client, String namespace, RoutePublisher gateway) {
        this(client, namespace, Optional.empty(), Map.of(), gateway);
    }

    /**
     * @param site  an edge site: only its worker pods are watched (the routes of that site's gateway); empty: all
     * @param sites the edge sites and the planned round trip of a forward to the cloud, in milliseconds
     */
    public KubernetesRoutes(KubernetesClient client, String namespace, Optional<String> site,
            Map<String, Double> sites, RoutePublisher gateway) {
        this.gateway = gateway;
        this.sites = Map.copyOf(sites);
        Runnable rebuild = this::rebuild;
        var workers = client.pods().inNamespace(namespace).withLabel(Labels.MANAGED_BY, Labels.MANAGER)
                .withLabel(Labels.COMPONENT, "worker");
        this.pods = start((site.isPresent() ? workers.withLabel(Labels.SITE, Labels.labelValue(site.get())) : workers)
                .runnableInformer(0), rebuild, site.map(s -> "the worker pods of edge site '" + s + "'")
                .orElse("worker pods"));
        this.models = start(client.resources(InferenceModel.class).inNamespace(namespace).runnableInformer(0),
                rebuild, "InferenceModels");
        this.pipelines = start(client.resources(InferencePipeline.class).inNamespace(namespace).runnableInformer(0),
                rebuild, "InferencePipelines");
        rebuild();
    }

    private static <T> SharedIndexInformer<T> start(SharedIndexInformer<T> informer, Runnable onChange, String what) {
        informer.addEventHandler(OnAnyChange.run(onChange));
        informer.exceptionHandler((started, t) -> {
            LOG.warnf("watching %s failed (retrying): %s", what, t.getMessage());
            return true;
        });
        informer.start();
        return informer;
    }

    /** Whether both watches have listed what exists: the table is complete, the gateway may take traffic. */
    public boolean synced() {
        return pods.hasSynced() && models.hasSynced() && pipelines.hasSynced();
    }

    private synchronized void rebuild() {
        if (pods == null || models == null || pipelines == null) {
            return;
        }
        RoutingTable next = table(models.getStore().list(), pipelines.getStore().list(), pods.getStore().list(),
                sites);
        if (!next.equals(last)) {
            last = next;
            gateway.publish(next);
        }
    }

    /** The routing table of the models' routing facts and the pods, with no edge site (a pure function). */
    public static RoutingTable table(List<InferenceModel> models, List<Pod> pods) {
        return table(models, List.of(), pods, Map.of());
    }

    /**
     * The routing table of the models' routing facts and the pods, each target at its pod's edge site (a pure
     * function).
     *
     * @param sites the edge sites and their planned round trip to the cloud
     */
    public static RoutingTable table(List<InferenceModel> models, List<InferencePipeline> pipelines, List<Pod> pods,
            Map<String, Double> sites) {
        Map<String, ModelRoute> routes = new LinkedHashMap<>();
        List<Pod> serving = pods.stream().filter(KubernetesRoutes::routable)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
        for (InferenceModel m : models) {
            ModelRouting r = m.getStatus() == null ? null : m.getStatus().routing();
            if (r == null || r.sloMs() == null || !(r.sloMs() > 0)) {
                continue;
            }
            List<RouteTarget> targets = new ArrayList<>();
            for (RouteGroup g : r.groups()) {
                for (Pod p : serving) {
                    if (Objects.equals(g.label(), p.getMetadata().getLabels().get(Labels.GROUP))) {
                        double mean = Math.max(0.001, g.meanBatchMs());
                        targets.add(new RouteTarget(p.getMetadata().getName(), p.getStatus().getPodIP(), port(p),
                                g.batch(), mean, Math.max(mean, g.batchLatencyMs()), site(p)));
                    }
                }
            }
            routes.put(m.getMetadata().getName(), new ModelRoute(m.getMetadata().getName(), r.sloMs(),
                    DispatchMode.valueOf(r.dispatch()), targets));
        }
        return new RoutingTable(routes, pipelineRoutes(pipelines, routes.keySet()), sites);
    }

    /**
     * The pipelines this gateway serves as endpoints of their own: those the operator has planned (stage budgets in
     * their status) whose every stage has a route here. A pipeline whose spec is invalid is left out (the operator
     * says why on its conditions), as is one whose name is a model's.
     */
    public static Map<String, PipelineRoute> pipelineRoutes(List<InferencePipeline> pipelines, java.util.Set<String> models) {
        Map<String, PipelineRoute> routes = new LinkedHashMap<>();
        for (InferencePipeline p : pipelines.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList()) {
            String name = p.getMetadata().getName();
            if (p.getSpec() == null || p.getStatus() == null || p.getStatus().stageBudgets() == null
                    || models.contains(name)) {
                continue;
            }
            Map<String, Double> budgets = new LinkedHashMap<>();
            p.getStatus().stageBudgets().forEach(b -> budgets.put(b.model(), b.budgetMs()));
            try {
                ResourceReader.pipelineRoute(name, p.getSpec(), budgets)
                        .filter(r -> models.containsAll(r.pipeline().stages()))
                        .ifPresent(r -> routes.put(name, r));
            } catch (RuntimeException e) {
                LOG.debugf("pipeline %s not routed: %s", name, e.getMessage());
            }
        }
        return routes;
    }

    /** The edge site of a pod's pool (its exact name, from the annotation), {@link RouteTarget#CLOUD} for none. */
    static String site(Pod p) {
        Map<String, String> a = p.getMetadata().getAnnotations();
        return a == null || a.get(Labels.SITE) == null ? RouteTarget.CLOUD : a.get(Labels.SITE);
    }

    /** Serving, ready, with an address, and not leaving. */
    static boolean routable(Pod p) {
        return Labels.SERVING.equals(p.getMetadata().getLabels() == null ? null
                : p.getMetadata().getLabels().get(Labels.ROLE)) && KubernetesWorkerFleet.ready(p)
                && !KubernetesWorkerFleet.terminating(p);
    }

    private static int port(Pod p) {
        return p.getSpec() == null ? WorkloadSettings.WORKER_PORT : p.getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
                .filter(cp -> "http".equals(cp.getName())).map(ContainerPort::getContainerPort).findFirst()
                .orElse(WorkloadSettings.WORKER_PORT);
    }

    @Override
    public void close() {
        pods.close();
        models.close();
        pipelines.close();
    }
}
