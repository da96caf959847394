package dev.stratus.api;

import dev.stratus.app.ControlRole;
import dev.stratus.control.ControlService;
import dev.stratus.core.autoscaling.ScalingEvent;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.planning.PlanningException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin API views of the running system: the plan, what-if planning, the fleet and the event log. */
@Path("/admin/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "control", description = "Plan, what-if planning, fleet and events of the control service")
public class ControlResource {
    @Inject
    ControlRole role;

    /** Body of a what-if request: requests per second per model. */
    public record WhatIf(Map<String, Double> rates) {
    }

    /** The plan in force, the rates it was made for and the latest forecasts. */
    public record PlanView(Plan plan, Map<String, Double> plannedRates, Map<String, ?> forecasts) {
    }

    /** One replica as operators see it; {@code pid} is its worker process (local backend). */
    public record ReplicaView(String id, String group, String state, List<String> models, int port,
            double ageSeconds, Double readySeconds, Long pid) {
    }

    /**
     * One worker group: replicas wanted and present by state, and its health. {@code health} is DEGRADED while
     * its workers keep crashing; {@code message} then names the last exit and when the next start is due.
     */
    public record GroupView(String group, List<String> models, String health, int targetServing, int targetStandby,
            int serving, int standby, int starting, int crashesInARow, Double nextStartInSeconds, String message) {
    }

    @GET
    @Path("/plan")
    @Operation(summary = "The plan in force: tuples per model, cost per hour, explanation, planned rates")
    @APIResponse(responseCode = "200", description = "The plan")
    @APIResponse(responseCode = "503", description = "The control service has not started (yet)")
    public PlanView plan() throws ApiException {
        ControlService c = control();
        return new PlanView(c.plan(), c.plannedRates(), c.forecasts());
    }

    @POST
    @Path("/plan/what-if")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The plan and its cost for other rates, without applying it")
    @APIResponse(responseCode = "200", description = "The plan that these rates would get")
    @APIResponse(responseCode = "400", description = "Unknown model or negative rate")
    @APIResponse(responseCode = "422", description = "No feasible plan: the message names the model and constraint")
    public Plan whatIf(WhatIf body) throws ApiException {
        ControlService c = control();
        if (body == null || body.rates() == null || body.rates().isEmpty()) {
            throw new ApiException(400, "rates: required, e.g. {\"rates\": {\"vad\": 800}}");
        }
        Map<String, Double> rates = new LinkedHashMap<>(c.plannedRates());
        for (Map.Entry<String, Double> e : body.rates().entrySet()) {
            if (!rates.containsKey(e.getKey())) {
                throw new ApiException(400, "rates." + e.getKey() + ": unknown model; the service runs "
                        + rates.keySet());
            }
            if (e.getValue() == null || e.getValue() < 0 || e.getValue().isNaN()) {
                throw new ApiException(400, "rates." + e.getKey() + ": must be a number >= 0");
            }
            rates.put(e.getKey(), e.getValue());
        }
        try {
            return c.whatIf(rates);
        } catch (PlanningException e) {
            throw new ApiException(422, e.getMessage());
        }
    }

    @GET
    @Path("/fleet")
    @Operation(summary = "Every worker replica: state, models, port, age")
    public List<ReplicaView> fleet() throws ApiException {
        control();
        long now = System.currentTimeMillis();
        return role.fleet().map(f -> f.replicas().stream().map(r -> view(r, now, f.process(r.id())
                .map(ProcessHandle::pid).orElse(null))).toList()).orElse(List.of());
    }

    @GET
    @Path("/fleet/groups")
    @Operation(summary = "Every worker group: replicas wanted and present, health (DEGRADED while its workers keep "
            + "crashing), restart back-off")
    public List<GroupView> groups() throws ApiException {
        control();
        long now = System.currentTimeMillis();
        return role.fleet().map(f -> f.groups().stream().map(g -> new GroupView(g.groupId(), g.models(),
                g.health().name(), g.targetServing(), g.targetStandby(), g.serving(), g.standby(), g.starting(),
                g.crashesInARow(), g.nextStartMillis() > 0 ? Math.max(0, g.nextStartMillis() - now) / 1000.0 : null,
                g.message())).toList()).orElse(List.of());
    }

    @GET
    @Path("/events")
    @Operation(summary = "Recent scaling decisions and actions, oldest first, each with its reason")
    public List<ScalingEvent> events(@QueryParam("limit") @DefaultValue("200") int limit) throws ApiException {
        if (limit < 1 || limit > 10_000) {
            throw new ApiException(400, "limit must be 1..10000, got " + limit);
        }
        return role.events().recent(limit);
    }

    private static ReplicaView view(Replica r, long now, Long pid) {
        return new ReplicaView(r.id(), r.groupId(), r.state().name(), r.models(), r.port(),
                (now - r.startedAtMillis()) / 1000.0,
                r.readyAtMillis() > 0 ? (r.readyAtMillis() - r.startedAtMillis()) / 1000.0 : null, pid);
    }

    private ControlService control() throws ApiException {
        return running(role);
    }

    /** The running control service, or 503 saying why there is none. */
    static ControlService running(ControlRole role) throws ApiException {
        return role.control().orElseThrow(() -> new ApiException(503, role.failure()
                .map(f -> "the control service failed to start: " + f)
                .orElse("the control service is starting (or this process is not the controller)")));
    }
}
