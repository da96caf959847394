package dev.stratus.control;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.autoscaling.EventLog;
import dev.stratus.core.autoscaling.ScalingEvent;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Slo;
import dev.stratus.core.model.plan.Tier;
import dev.stratus.core.planning.MapProfileStore;
import dev.stratus.core.planning.SyntheticProfiles;
import dev.stratus.core.port.WorkerFleet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The control loop feeds the gateway's observed p99 and attainment to the latency feedback: a model that runs
 * steadily slower than its profile, at its planned load, is re-planned with a corrected latency factor, and the REPLAN
 * event says why. The loop's clock is manual: each tick's sample moves it 2 s on, so every period is 2 s on it,
 * whatever the real time between ticks (the loop thread runs every 100 ms); the test waits for the event (the wait is
 * a safety net, not what is asserted).
 */
class ControlServiceLatencyFeedbackTest {

    static final class NoFleet implements WorkerFleet {
        @Override
        public void apply(FleetTarget target) {
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
    }

    @Test
    void aModelSlowerThanItsProfileIsReplannedWithACorrectedFactor() throws Exception {
        MapProfileStore profiles = new MapProfileStore();
        profiles.save(SyntheticProfiles.linear("m", "cpu-test", 2, 8, 0.05, 16));
        Pool pool = new Pool("cpu", Tier.CLOUD, "here", "cpu", "cpu-test", 1.0, 0.1, 50, 1, 4096);
        ServiceSpec spec = new ServiceSpec(new PlanRequest(List.of(pool),
                List.of(new ModelDemand("m", Slo.of(200), 300, List.of(), false, 100, 16))), Map.of("m",
                new ModelScaling(1, 50, 0)));
        AtomicLong clock = new AtomicLong(1_000_000);
        // The sample of one tick moves the clock to the end of the next period.
        AtomicReference<ControlService> service = new AtomicReference<>();
        EventLog log = new EventLog(256);
        ControlService.Ports ports = new ControlService.Ports(new NoFleet(), model -> {
            clock.addAndGet(2000);
            // At the planned 300/s, every request answered, p99 at 2.5x what the plan predicts.
            Plan p = service.get().plan();
            double predicted = p.modelPlan("m").orElseThrow().predictedWorstLatencyMs();
            return new TrafficSample(model, 600, 0, 600, 600, predicted, 2.5 * predicted, 0);
        }, table -> { }, log::record, log, clock::get);
        ControlService.Settings settings = new ControlService.Settings(100, "stratus", false,
                dev.stratus.core.autoscaling.ReplanRule.DEFAULT, ControlService.LOCAL_WARM_POOL);
        try (ControlService s = new ControlService(spec, profiles, ports, settings)) {
            service.set(s);
            s.start();
            clock.addAndGet(2000); // the first period (the loop's first tick comes 100 ms after start)
            double before = s.plan().costPerHour();
            ScalingEvent replan = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (replan == null && System.nanoTime() < deadline) {
                replan = log.recent(256).stream().filter(e -> e.kind() == ScalingEvent.Kind.REPLAN
                        && e.reason().contains("latency factor for m on cpu 1.00 -> 2.00")).findFirst().orElse(null);
                Thread.sleep(20);
            }
            assertTrue(replan != null, "no latency REPLAN event: " + log.recent(20));
            assertTrue(replan.reason().contains("observed p99"), replan.reason());
            assertTrue(s.plan().costPerHour() > before, s.plan().costPerHour() + " vs " + before);
        }
    }
}
