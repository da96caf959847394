package dev.stratus.core.planning;

import dev.stratus.core.model.plan.ColocationGroup;
import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanTuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Stratus' own planner (the heuristic solver): pipeline SLOs split by {@link LatencySplitter}; models placed one
 * by one by {@link ModelPlacer} (edge-preferring models first, then the largest rates, so the scarce capacity
 * goes where it matters); then single-replica tuples packed together by {@link SquishyPacker} with the Stratus
 * rule, each group replacing the replicas it saves. Near-linear in models × pools × batch sizes.
 */
public final class StratusPlanner implements PlanningPolicy {
    public static final String NAME = "stratus";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * With pipelines, the stage budgets are split twice: once on each stage's whole-replica cost alone, once on its
     * fractional replica cost (what co-location can approach, as in Nexus' DP); both are planned in full and the
     * cheaper plan is kept, since which one wins depends on how well the small stages pack.
     */
    @Override
    public Plan plan(PlanningContext ctx) {
        if (ctx.request().pipelines().isEmpty()) {
            return plan(ctx, false);
        }
        Plan whole;
        try {
            whole = plan(ctx, false);
        } catch (PlanningException e) {
            return plan(ctx, true);
        }
        try {
            Plan fractional = plan(ctx, true);
            return fractional.costPerHour() < whole.costPerHour() - 1e-9 ? fractional : whole;
        } catch (PlanningException e) {
            return whole;
        }
    }

    private Plan plan(PlanningContext ctx, boolean fractionalSplit) {
        Sizing sizing = ctx.sizing();
        ModelPlacer placer = new ModelPlacer(sizing, ctx.settings().colocation());
        Budgets budgets = Budgets.resolve(ctx, pipeline -> fractionalSplit
                ? fractionalSplit(ctx, sizing, pipeline) : split(ctx, placer, pipeline));

        PlanBuilder out = new PlanBuilder(ctx);
        out.explain("Latency model: l(b) = max(p99, mean + 2 std) from the profile x the pool's latency scale; "
                + "worst latency = RTT + the SLO percentile of the sum fill wait (up to (b-1)/r, batch-aware dispatch) "
                + "+ queueing (Kingman) + execution (99th percentile l(b)); replicas at most "
                + Math.round(ctx.settings().maxUtilisation() * 100) + "% busy.");
        budgets.splits().forEach((name, s) -> out.explain("Pipeline %s: %s, budgets %s.", name, s.method(),
                s.budgetsMs().entrySet().stream().map(e -> e.getKey() + " " + String.format("%.1f ms", e.getValue()))
                        .collect(Collectors.joining(", "))));

        List<ModelDemand> order = new ArrayList<>(ctx.request().models());
        order.sort(Comparator.comparing((ModelDemand m) -> !m.edgePreference())
                .thenComparing(Comparator.comparingDouble((ModelDemand m) -> ctx.rate(m.name())).reversed())
                .thenComparing(ModelDemand::name));
        PoolLedger ledger = new PoolLedger(ctx.request().pools());
        Map<String, List<Sized>> placed = new HashMap<>();
        for (ModelDemand m : order) {
            String name = m.name();
            ModelPlacer.Placement p = placer.place(name, ctx.curves(name), ctx.rate(name), budgets.of(name),
                    budgets.describe(name), ctx.quantile(name), ledger, m.edgePreference());
            placed.put(name, p.tuples());
            p.tuples().forEach(s -> out.tuple(name, s.toTuple()));
            explainModel(out, ctx, name, budgets, p);
        }
        if (ctx.settings().colocation()) {
            colocate(ctx, budgets, placed, out);
        }
        return out.build(NAME, "heuristic", budgets);
    }

    /** Split on fractional replicas: rate / (one replica's max rate within the budget) x cost, best pool and batch. */
    private static LatencySplitter.Split fractionalSplit(PlanningContext ctx, Sizing sizing, Pipeline pipeline) {
        LatencySplitter.Split s = LatencySplitter.split(pipeline, ctx.settings().budgetSteps(), (stage, budget) -> {
            double effective = Math.min(budget, ctx.demand(stage).ownSlo().map(o -> o.latencyMs()).orElse(budget));
            double best = Double.POSITIVE_INFINITY;
            for (ServiceCurve c : ctx.curves(stage)) {
                for (int b : c.candidatesView()) {
                    double perReplica = sizing.maxRate(c, b, 1, effective, DispatchPolicy.BATCH_AWARE, ctx.quantile(stage));
                    if (perReplica > 0) {
                        best = Math.min(best, ctx.rate(stage) / perReplica * c.costPerHour());
                    }
                }
            }
            return best;
        }, true, LatencySplitter.Slack.SHARED);
        return new LatencySplitter.Split(s.budgetsMs(), s.method() + " on fractional replica cost");
    }

    private static LatencySplitter.Split split(PlanningContext ctx, ModelPlacer placer, Pipeline pipeline) {
        Map<String, Double> memo = new HashMap<>();
        LatencySplitter.Split s = LatencySplitter.split(pipeline, ctx.settings().budgetSteps(), (stage, budget) -> {
            double own = ctx.demand(stage).ownSlo().map(o -> o.latencyMs()).orElse(Double.POSITIVE_INFINITY);
            double effective = Math.min(own, budget);
            return memo.computeIfAbsent(stage + "@" + effective, k -> placer.isolatedCost(ctx.curves(stage),
                    ctx.rate(stage), effective, ctx.quantile(stage), new PoolLedger(ctx.request().pools())));
        }, true, LatencySplitter.Slack.SHARED);
        return new LatencySplitter.Split(s.budgetsMs(), s.method() + " on whole-replica cost");
    }

    private static void explainModel(PlanBuilder out, PlanningContext ctx, String model, Budgets budgets,
                                     ModelPlacer.Placement p) {
        StringBuilder line = new StringBuilder(String.format("%s: %.1f req/s within %s -> ", model, ctx.rate(model),
                budgets.describe(model)));
        for (int i = 0; i < p.tuples().size(); i++) {
            Sized s = p.tuples().get(i);
            line.append(i == 0 ? "" : "; ").append(String.format(
                    "%d x %s at batch %d for %.1f req/s (l(b) %.1f ms, max queue delay %.1f ms, worst %.1f ms, %.0f%% busy)",
                    s.replicas(), s.pool(), s.batch(), s.ratePerSecond(), s.curve().latencyMs(s.batch()), s.fillMs(),
                    s.worstMs(), s.utilisation() * 100));
        }
        out.explain(line.toString());
        double rate = ctx.rate(model);
        if (p.edgeRate() > 0 && p.edgeRate() < rate * (1 - 1e-9)) {
            out.explain("  edge-first: %.0f%% served at the edge until its free replicas ran out; %.1f req/s spilled to "
                    + "cloud with the cloud RTT charged.", 100 * p.edgeRate() / rate, rate - p.edgeRate());
        } else if (p.tuples().size() > 1 && p.edgeRate() == 0) {
            out.explain("  main + residual: the main tuple runs its replicas full at an efficient batch; the residual "
                    + "load gets a tuple sized for it (cheaper or co-locatable than one more full replica).");
        }
    }

    /** Packs single-replica tuples that share a pool; keeps a group only when it saves replicas. */
    private static void colocate(PlanningContext ctx, Budgets budgets, Map<String, List<Sized>> placed, PlanBuilder out) {
        List<SquishyPacker.Item> items = new ArrayList<>();
        Map<SquishyPacker.Item, Sized> origin = new java.util.IdentityHashMap<>();
        for (ModelDemand m : ctx.request().models()) {
            for (Sized s : placed.get(m.name())) {
                if (s.replicas() == 1) {
                    SquishyPacker.Item item = new SquishyPacker.Item(m.name(), s.curve(), s.ratePerSecond(),
                            budgets.of(m.name()), ctx.quantile(m.name()), s.curve().maxBatch(), 0);
                    items.add(item);
                    origin.put(item, s);
                }
            }
        }
        SquishyPacker packer = new SquishyPacker(SquishyPacker.Rule.STRATUS, ctx.settings().maxUtilisation(),
                ctx.settings().packingWindow());
        int id = 0;
        double saved = 0;
        for (SquishyPacker.Group g : packer.pack(items)) {
            if (g.items().size() < 2) {
                continue;
            }
            String groupId = "g" + (++id);
            List<ColocationGroup.Member> members = new ArrayList<>();
            for (int i = 0; i < g.items().size(); i++) {
                SquishyPacker.Item item = g.items().get(i);
                Sized replaced = origin.get(item);
                List<PlanTuple> ts = new ArrayList<>(out.tuples(item.model()));
                int at = indexOf(ts, replaced);
                ts.set(at, new PlanTuple(g.pool().name(), g.batches()[i], g.dutyCycleMs(), 1,
                        DispatchPolicy.BATCH_AWARE, item.ratePerSecond(), g.worstMs()[i], groupId));
                out.replaceTuples(item.model(), ts);
                members.add(new ColocationGroup.Member(item.model(), g.batches()[i], item.ratePerSecond()));
            }
            out.group(new ColocationGroup(groupId, g.pool().name(), members, 1, g.dutyCycleMs(), g.occupancy(), g.memoryMb()));
            saved += (g.items().size() - 1) * g.pool().costPerHour();
            out.explain("Co-location %s on %s: %s share one replica, duty cycle %.1f ms, occupancy %.0f%%, %.0f MB of %.0f MB "
                            + "(saves %d replicas).", groupId, g.pool().name(),
                    members.stream().map(mb -> mb.model() + " b=" + mb.batch()).collect(Collectors.joining(", ")),
                    g.dutyCycleMs(), g.occupancy() * 100, g.memoryMb(), g.pool().memoryMb(), g.items().size() - 1);
        }
        if (saved > 0) {
            out.explain("Co-location saves %.2f per hour.", saved);
        }
    }

    /** The plan tuple that came from this candidate (same pool, batch, rate and not yet shared). */
    private static int indexOf(List<PlanTuple> tuples, Sized s) {
        for (int i = 0; i < tuples.size(); i++) {
            PlanTuple t = tuples.get(i);
            if (!t.shared() && t.pool().equals(s.pool()) && t.batch() == s.batch() && t.replicas() == s.replicas()
                    && t.ratePerSecond() == s.ratePerSecond()) {
                return i;
            }
        }
        throw new IllegalStateException("tuple of " + s.curve().model().name() + " not found");
    }
}
