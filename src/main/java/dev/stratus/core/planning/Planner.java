package dev.stratus.core.planning;

import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.port.ProfileStore;

import java.util.List;
import java.util.Locale;

/**
 * The planner's entry point: a request, the profiles, a policy name and a solver give a {@link Plan}, or a
 * {@link PlanningException} naming the model and the constraint that cannot be met.
 */
public final class Planner {
    /** Every policy name {@code --policy} accepts; {@code stratus} is the default. */
    public static final List<String> POLICIES = List.of(StratusPlanner.NAME, StaticPeakPolicy.NAME, NexusPolicy.NAME,
            TritonHpaPolicy.NAME, ClipperAimdPolicy.NAME, KpaPolicy.NAME);

    /** Heuristic (fast, every policy) or exact (exhaustive, Stratus' search space, small instances only). */
    public enum Solver {
        HEURISTIC,
        EXACT;

        public static Solver parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown solver '" + name + "' (heuristic or exact)");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Planner() {
    }

    public static PlanningPolicy policy(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case StratusPlanner.NAME -> new StratusPlanner();
            case StaticPeakPolicy.NAME -> new StaticPeakPolicy();
            case NexusPolicy.NAME -> new NexusPolicy();
            case TritonHpaPolicy.NAME -> new TritonHpaPolicy();
            case ClipperAimdPolicy.NAME -> new ClipperAimdPolicy();
            case KpaPolicy.NAME -> new KpaPolicy();
            default -> throw new IllegalArgumentException("unknown policy '" + name + "' (one of " + String.join(", ", POLICIES) + ")");
        };
    }

    /** Stratus' heuristic plan with default settings. */
    public static Plan plan(PlanRequest request, ProfileStore profiles) {
        return plan(request, profiles, StratusPlanner.NAME, Solver.HEURISTIC, PlannerSettings.defaults());
    }

    public static Plan plan(PlanRequest request, ProfileStore profiles, String policy, Solver solver,
                            PlannerSettings settings) {
        PlanningPolicy chosen = policy(policy);
        if (solver == Solver.EXACT && !chosen.name().equals(StratusPlanner.NAME)) {
            throw new IllegalArgumentException("the exact solver searches Stratus' configuration space; "
                    + "use it with --policy stratus, not " + chosen.name());
        }
        PlanningContext ctx = PlanningContext.build(request, profiles, settings);
        return solver == Solver.EXACT ? new ExactPlanner().plan(ctx) : chosen.plan(ctx);
    }
}
