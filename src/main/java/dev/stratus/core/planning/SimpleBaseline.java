package dev.stratus.core.planning;

import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanTuple;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shape of the static and dynamic-start baselines: pipeline SLOs split evenly over the longest path, each
 * model placed alone with one configuration per pool ({@link FixedConfig}), no co-location, no edge preference.
 * The predicted worst latency is the policy's own belief (no queueing term); the simulator measures the truth.
 */
abstract class SimpleBaseline implements PlanningPolicy {

    /** What the policy would run for this model on this pool, within the budget. */
    abstract Optional<FixedConfig.Offer> offer(PlanningContext ctx, ServiceCurve curve, double rate, double budgetMs);

    /** The constraint no pool met, for the error message. */
    abstract String whyNot(PlanningContext ctx, String model, double budgetMs);

    /** Parameters the dynamic part of the policy starts from (empty for static policies). */
    Map<String, Double> parameters(PlanningContext ctx, String model, List<PlanTuple> tuples) {
        return Map.of();
    }

    /** One line on how the policy works and where it comes from. */
    abstract String describe(PlanningContext ctx);

    @Override
    public Plan plan(PlanningContext ctx) {
        Budgets budgets = Budgets.resolve(ctx, LatencySplitter::evenly);
        PlanBuilder out = new PlanBuilder(ctx);
        out.explain(describe(ctx));
        budgets.splits().forEach((name, s) -> out.explain("Pipeline %s: %s.", name, s.method()));
        PoolLedger ledger = new PoolLedger(ctx.request().pools());
        for (ModelDemand m : ctx.request().models()) {
            String name = m.name();
            double rate = ctx.rate(name);
            double budget = budgets.of(name);
            List<PlanTuple> tuples = FixedConfig.place(name(), name, ctx.curves(name), rate, ledger,
                    c -> offer(ctx, c, rate, budget), whyNot(ctx, name, budget));
            tuples.forEach(t -> out.tuple(name, t));
            parameters(ctx, name, tuples).forEach((k, v) -> out.parameter(name, k, v));
            for (PlanTuple t : tuples) {
                out.explain("%s: %.1f req/s within %s -> %d x %s at batch %d, max queue delay %.1f ms, %s",
                        name, t.ratePerSecond(), budgets.describe(name), t.replicas(), t.pool(), t.batch(),
                        t.maxQueueDelayMs(), t.dispatch().name().toLowerCase().replace('_', '-'));
            }
        }
        return out.build(name(), "heuristic", budgets);
    }
}
