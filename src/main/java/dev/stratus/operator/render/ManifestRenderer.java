package dev.stratus.operator.render;

import dev.stratus.catalog.ModelCatalog;
import dev.stratus.control.ControlService;
import dev.stratus.control.RoutingBuilder;
import dev.stratus.control.ServiceSpec;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.control.io.ResourceReader.Resource;
import dev.stratus.core.autoscaling.EventLog;
import dev.stratus.core.autoscaling.WarmPoolPolicy;
import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.GroupTarget;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.port.Clock;
import dev.stratus.core.port.EventSink;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.core.port.WorkerFleet;
import dev.stratus.operator.Labels;
import dev.stratus.operator.SiteGatewaySettings;
import dev.stratus.operator.WorkloadSettings;
import dev.stratus.operator.adapter.ProfileJobs;
import dev.stratus.operator.adapter.SiteGatewayObjects;
import dev.stratus.operator.adapter.SiteGatewayObjects.SiteGateway;
import dev.stratus.operator.adapter.WorkerPods;
import dev.stratus.operator.adapter.WorkerPods.GroupShape;
import dev.stratus.resource.AcceleratorPoolSpec;
import dev.stratus.resource.InferenceModelSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the operator would create for a set of resources, without a cluster ({@code stratus k8s render}): the
 * control loop's first plan for the expected load, computed by the same {@link ControlService} (its fleet captured
 * instead of realised), turned into the same pods, Services and profiling Jobs the operator writes. Owner
 * references are left out: they need the resources' UIDs, which only a cluster assigns. Each edge site's gateway
 * Deployment and Service are included, with the settings of the chart's main gateway in a release named stratus.
 */
public final class ManifestRenderer {
    private ManifestRenderer() {
    }

    public static List<HasMetadata> render(List<Resource> resources, ProfileStore profiles, WorkloadSettings s) {
        ServiceSpec spec = ResourceReader.toSpec(resources);
        List<HasMetadata> out = new ArrayList<>();
        Map<String, AcceleratorPoolSpec> pools = new LinkedHashMap<>();
        Map<String, ModelSource> sources = new LinkedHashMap<>();
        ModelCatalog catalog = ModelCatalog.bundled();
        for (Resource r : resources) {
            if (r.spec() instanceof AcceleratorPoolSpec p) {
                pools.put(r.name(), p);
            } else if (r.spec() instanceof InferenceModelSpec m) {
                sources.put(r.name(), m.source() != null ? m.source().toModelSource()
                        : catalog.require(r.name()).source());
            }
        }
        for (ModelDemand m : spec.request().models()) {
            for (Pool pool : spec.request().poolsFor(m)) {
                if (profiles.find(m.name(), pool.hardwareId()).isEmpty()) {
                    out.add(ProfileJobs.job(m.name(), pool.name(), pools.get(pool.name()), sources.get(m.name()),
                            List.of(), s));
                }
            }
        }
        for (GroupTarget g : firstTarget(spec, profiles).groups()) {
            String pool = g.spec().groupId().substring(g.spec().groupId().lastIndexOf('@') + 1);
            Map<String, ModelSource> groupSources = new LinkedHashMap<>();
            g.spec().models().forEach(model -> groupSources.put(model, sources.get(model)));
            GroupShape shape = new GroupShape(g.spec(), pool, pools.get(pool), groupSources, s);
            out.add(WorkerPods.service(shape, List.of()));
            for (int i = 1; i <= g.serving(); i++) {
                out.add(WorkerPods.pod(shape, shape.label() + "-serving-" + i, Labels.SERVING, List.of()));
            }
            for (int i = 1; i <= g.standby(); i++) {
                out.add(WorkerPods.pod(shape, shape.label() + "-standby-" + i, Labels.STANDBY, List.of()));
            }
        }
        // Each edge site's gateway, shaped as the chart's main gateway of a release named stratus.
        SiteGatewaySettings gateways = SiteGatewaySettings.defaults(s.namespace());
        for (SiteGateway g : SiteGatewayObjects.desired(pools, RoutingBuilder.cloudRttMs(spec.request().pools()))) {
            out.add(SiteGatewayObjects.deployment(g, gateways, s, List.of()));
            out.add(SiteGatewayObjects.service(g, gateways, s, List.of()));
        }
        return out;
    }

    /** The fleet target of the loop's initial plan, captured from a control service that realises nothing. */
    static FleetTarget firstTarget(ServiceSpec spec, ProfileStore profiles) {
        AtomicReference<FleetTarget> captured = new AtomicReference<>(FleetTarget.EMPTY);
        WorkerFleet capture = new WorkerFleet() {
            @Override
            public void apply(FleetTarget target) {
                captured.set(target);
            }

            @Override
            public List<Replica> replicas() {
                return List.of();
            }

            @Override
            public void onChange(Runnable listener) {
            }

            @Override
            public void close() {
            }
        };
        ControlService.Settings d = ControlService.Settings.DEFAULT;
        try (ControlService loop = new ControlService(spec, profiles, new ControlService.Ports(capture,
                TrafficSample::empty, table -> { }, EventSink.NONE, new EventLog(), Clock.SYSTEM),
                new ControlService.Settings(d.periodMillis(), d.policy(), d.colocation(), d.rule(),
                        WarmPoolPolicy.DEFAULT))) {
            loop.start();
            return captured.get();
        }
    }

    /** The objects as one multi-document YAML text, in order. */
    public static String yaml(List<HasMetadata> objects) {
        StringBuilder out = new StringBuilder();
        for (HasMetadata o : objects) {
            out.append(Serialization.asYaml(o));
        }
        return out.toString();
    }
}
