package dev.stratus.api;

import dev.stratus.app.ControlRole;
import dev.stratus.app.Observability;
import dev.stratus.control.ControlService;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.planning.ModelCosts;
import dev.stratus.core.slo.BurnRateWindow;
import dev.stratus.core.slo.SloHistory;
import dev.stratus.core.slo.SloTarget;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Per model SLO status as the control service measured it (the same SLI rule as the Prometheus counters): what the
 * built-in dashboard shows. Rates and shares are fractions; a value without data is null.
 */
@Path("/admin/v1/slo")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "slo", description = "SLO attainment, error budget and burn rates per model, as the control loop saw them")
public class SloResource {
    @Inject
    ControlRole role;

    @Inject
    Observability observability;

    /** Every model with an SLO of its own, at {@code atMillis}. */
    public record SloView(long atMillis, List<ModelSlo> models) {
    }

    /**
     * One model.
     *
     * @param attainment           good / total since the control service started
     * @param errorBudgetRemaining 1 - (error ratio since start / error budget): 1 untouched, 0 spent, below 0 overspent
     * @param burnRates            error ratio over each burn-rate window / error budget (1 = exactly on target)
     * @param status               page or ticket when a row of the burn-rate table fires, ok, or no-data
     * @param series               one point per control period over the last {@code minutes}
     */
    public record ModelSlo(String model, double latencyMs, double objective, long good, long total, Double attainment,
            Double errorBudgetRemaining, Map<String, Double> burnRates, String status, double costPerHour,
            double plannedRatePerSecond, Double observedRatePerSecond, List<Point> series) {
    }

    /** One control period: latency of the successful answers, attainment, demand, replicas serving and standby. */
    public record Point(long atMillis, Double p50Ms, Double p99Ms, Double attainment, double demandPerSecond,
            int serving, int standby) {
    }

    @GET
    @Operation(summary = "Per model: attainment, error budget remaining, burn rates and status, plan cost, and the "
            + "last minutes of p50/p99, attainment, demand and replicas")
    @APIResponse(responseCode = "200", description = "The models' SLO status")
    @APIResponse(responseCode = "400", description = "minutes out of range")
    @APIResponse(responseCode = "503", description = "The control service has not started (yet)")
    public SloView slo(@QueryParam("minutes") @DefaultValue("10") String minutesParam) throws ApiException {
        int minutes;
        try {
            minutes = Integer.parseInt(minutesParam.trim());
        } catch (NumberFormatException e) {
            minutes = -1;
        }
        if (minutes < 1 || minutes > 30) {
            throw new ApiException(400, "minutes must be a whole number 1..30, got '" + minutesParam + "'");
        }
        ControlService c = ControlResource.running(role);
        long now = System.currentTimeMillis();
        SloHistory history = observability.history();
        Map<String, Double> costs = ModelCosts.perModel(c.plan(), c.spec().request().pools());
        List<ModelSlo> out = new ArrayList<>();
        for (SloTarget t : SloTarget.of(c.spec().request().models())) {
            SloHistory.Counts since = history.sinceStart(t.model());
            double budget = t.errorBudget();
            Map<String, Double> burn = new LinkedHashMap<>();
            for (BurnRateWindow.Window w : BurnRateWindow.Window.values()) {
                burn.put(w.promql(), finite(history.window(t.model(), now, w.duration()).burnRate(budget)));
            }
            String status = since.total() == 0 ? "no-data" : history.alerting(t.model(), now, budget)
                    .map(BurnRateWindow.Severity::label).orElse("ok");
            ModelDemand m = c.spec().request().model(t.model());
            List<Point> series = history.points(t.model(), now - minutes * 60_000L).stream().map(p -> new Point(
                    p.atMillis(), finite(p.p50Ms()), finite(p.p99Ms()), finite(p.attainment()), p.demandPerSecond(),
                    p.serving(), p.standby())).toList();
            out.add(new ModelSlo(t.model(), t.latencyMs(), t.objective(), since.good(), since.total(),
                    finite(since.attainment()), finite(1 - since.burnRate(budget)), burn, status,
                    costs.getOrDefault(t.model(), 0.0), c.plannedRates().getOrDefault(t.model(), m.ratePerSecond()),
                    history.latest(t.model()).map(SloHistory.Point::demandPerSecond).orElse(null), series));
        }
        return new SloView(now, out);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
