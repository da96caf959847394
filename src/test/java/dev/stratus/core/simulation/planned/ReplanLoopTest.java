package dev.stratus.core.simulation.planned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.planning.PlannerSettings;
import dev.stratus.core.planning.PlanningContext;
import dev.stratus.core.simulation.ControlSnapshot;
import dev.stratus.core.simulation.GroupMember;
import dev.stratus.core.simulation.ModelObservation;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ScalingDecision;
import dev.stratus.core.simulation.SimDispatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stratus' loop in the simulator, fed a scripted demand: the real loop's forecaster and re-plan rule decide. */
class ReplanLoopTest {

    /** Replica counts the loop sets while the demand is {@code before} req/s for 120 s, then {@code after} for 120 s. */
    static List<Integer> run(double rateScale, double before, double after) {
        PlanRequest request = new PlanRequest(List.of(VerifiedPlannerTest.cpu()),
                List.of(VerifiedPlannerTest.model("fast", 50, 100)));
        PlanningContext ctx = PlanningContext.build(request, VerifiedPlannerTest.profiles(), PlannerSettings.defaults());
        ReplicaGroup group = new ReplicaGroup("cpu", 0.1, 5, List.of(new GroupMember("fast", 4, 2, 1)), 4,
                SimDispatch.BATCH_AWARE, 1024);
        ReplanLoop loop = new ReplanLoop(List.of(group), ctx, rateScale);
        List<Integer> counts = new ArrayList<>();
        for (int t = 1; t <= 240; t++) {
            long arrivals = Math.round(t <= 120 ? before : after);
            for (ScalingDecision d : loop.onTick(new ControlSnapshot(t, 1, List.of(),
                    List.of(new ModelObservation("fast", arrivals, arrivals, 0, 0))))) {
                assertEquals(0, d.group());
                assertTrue(!d.reason().isBlank());
                counts.add(d.targetReplicas());
            }
        }
        return counts;
    }

    @ParameterizedTest(name = "scale {0}: {1} -> {2} req/s gives {3}")
    @CsvSource({
            // rate scale (1: planned for the mean, 2: verified for a 2x burst), demand before/after, last count ('-' none)
            "1, 100, 100, -",    // on plan: nothing to do
            "1, 100, 300, 13",   // 3x the load: 4 replicas x 330/100 (the forecast has 10 % headroom), rounded
            "1, 100, 40, 3",     // a lasting fall: down once the peak hold has passed (the EWMA still decaying)
            "2, 100, 190, -",    // a plan that holds 200/s rides a rise to 190/s without scaling
            "2, 100, 40, -",     // and never goes below itself
            "2, 100, 400, 9"})   // load beyond what it holds: up in proportion
    void theLoopScalesTheVerifiedPlanWithTheForecast(double scale, double before, double after, String last) {
        List<Integer> counts = run(scale, before, after);
        if (last.equals("-")) {
            assertEquals(List.of(), counts);
        } else {
            assertEquals(Integer.parseInt(last), counts.get(counts.size() - 1), counts.toString());
        }
    }
}
