package dev.stratus.observability;

import dev.stratus.control.ServiceSpec;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.GroupTarget;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.planning.Planner;
import dev.stratus.core.planning.PlannerSettings;
import dev.stratus.profiles.FileProfileStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The example resources planned with the committed profiles, and a small fleet beside them. */
final class ControlFixture {
    static final FileProfileStore PROFILES = new FileProfileStore(Path.of("profiles"));
    static final ServiceSpec SPEC = ResourceReader.readDirectory(Path.of("examples/local"));
    static final Plan PLAN = Planner.plan(SPEC.request(), PROFILES, "stratus", Planner.Solver.HEURISTIC,
            PlannerSettings.defaults().withColocation(false));
    static final FleetTarget TARGET = new FleetTarget(List.of(
            new GroupTarget(new WorkerGroupSpec("vad@local-cpu", List.of("vad"), Map.of("vad", 8),
                    Map.of("vad", 2.5), 1), 2, 1),
            new GroupTarget(new WorkerGroupSpec("ocr-cls@local-cpu", List.of("ocr-cls"), Map.of("ocr-cls", 8),
                    Map.of("ocr-cls", 5.0), 1), 1, 1)));
    static final List<Replica> REPLICAS = List.of(
            replica("r1", "vad@local-cpu", ReplicaState.SERVING),
            replica("r2", "vad@local-cpu", ReplicaState.SERVING),
            replica("r3", "vad@local-cpu", ReplicaState.STANDBY),
            replica("r4", "ocr-cls@local-cpu", ReplicaState.SERVING),
            replica("r5", "ocr-cls@local-cpu", ReplicaState.STARTING),
            replica("r6", "ocr-cls@local-cpu", ReplicaState.FAILED));

    private ControlFixture() {
    }

    static Replica replica(String id, String group, ReplicaState state) {
        return new Replica(id, group, "127.0.0.1", 9000, state, List.of(group.substring(0, group.indexOf('@'))), 0, 0);
    }

    static ControlGauges.State state(boolean infeasible) {
        return new ControlGauges.State(SPEC, PLAN, Map.of("vad", 140.0), TARGET, infeasible, REPLICAS);
    }
}
