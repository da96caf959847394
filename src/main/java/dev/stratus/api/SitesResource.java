package dev.stratus.api;

import dev.stratus.app.ControlRole;
import dev.stratus.control.ControlService;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.dataplane.gateway.Gateway;
import dev.stratus.dataplane.gateway.Served;
import dev.stratus.dataplane.gateway.ServedCounts;
import dev.stratus.dataplane.gateway.SiteGateways;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The gateways of the running system: the cloud gateway and each edge site's, where they listen, each site's link to
 * the cloud, and per model and pipeline where the requests that entered there were served.
 */
@Path("/admin/v1/sites")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "control", description = "Plan, what-if planning, fleet and events of the control service")
public class SitesResource {
    @Inject
    ControlRole role;

    /** A gateway: its site ({@code cloud} for the cloud gateway), address, link to the cloud, and traffic. */
    public record SiteView(String site, String url, CloudView cloud, List<TrafficView> traffic) {
    }

    /** An edge site's link to the cloud gateway. */
    public record CloudView(String url, double chargedRttMs, Double measuredRttMs, boolean reachable,
            String lastError) {
    }

    /**
     * Requests that entered at this gateway since it started (client errors excepted), by where they were served,
     * with those answered within the SLO; {@code plannedEdgeShare} is the plan's share of the model's load at the
     * edge.
     */
    public record TrafficView(String name, Map<String, Long> served, Map<String, Long> withinSlo,
            Double plannedEdgeShare) {
    }

    @GET
    @Operation(summary = "The cloud gateway and each edge site's: address, link to the cloud (round trip, "
            + "reachability), and where each model's requests were served (edge, cloud, shed)")
    @APIResponse(responseCode = "200", description = "The gateways")
    @APIResponse(responseCode = "503", description = "The control service has not started (yet)")
    public List<SiteView> sites() throws ApiException {
        ControlService c = ControlResource.running(role);
        SiteGateways all = role.sites().orElseThrow(() -> new ApiException(503, "no gateways in this process"));
        List<String> names = new ArrayList<>(c.spec().request().models().stream().map(m -> m.name()).toList());
        c.spec().request().pipelines().forEach(p -> names.add(p.name()));
        List<SiteView> out = new ArrayList<>();
        out.add(new SiteView("cloud", null, null, traffic(all.cloud(), names, c)));
        for (SiteGateways.SiteGateway s : all.sites().values()) {
            CloudView link = s.gateway().cloud().map(l -> new CloudView(l.address().toString(), l.chargedRttMs(),
                    Double.isNaN(l.measuredRttMs()) ? null : l.measuredRttMs(), l.reachable(),
                    l.lastError().isEmpty() ? null : l.lastError())).orElse(null);
            out.add(new SiteView(s.site(), s.uri().toString(), link, traffic(s.gateway(), names, c)));
        }
        return out;
    }

    private static List<TrafficView> traffic(Gateway g, List<String> names, ControlService c) {
        List<TrafficView> out = new ArrayList<>();
        for (String name : names) {
            ServedCounts counts = g.served(name);
            if (counts.all() == 0) {
                continue;
            }
            Map<String, Long> served = new LinkedHashMap<>();
            Map<String, Long> good = new LinkedHashMap<>();
            for (Served where : List.of(Served.EDGE, Served.CLOUD, Served.SHED)) {
                served.put(where.label(), counts.total(where));
                good.put(where.label(), counts.good(where));
            }
            Double share = c.plan().modelPlan(name).map(ModelPlan::edgeShare).orElse(null);
            out.add(new TrafficView(name, served, good, share));
        }
        return out;
    }
}
