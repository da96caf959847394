package dev.stratus.core.planning;

import dev.stratus.core.model.plan.Plan;

/** One way of turning a request (joined with its profiles) into a plan. */
public interface PlanningPolicy {
    /** The name users select it by ({@code --policy}). */
    String name();

    Plan plan(PlanningContext context);
}
