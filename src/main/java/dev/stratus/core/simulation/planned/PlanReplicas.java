package dev.stratus.core.simulation.planned;

import dev.stratus.core.model.plan.ColocationGroup;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.PlanTuple;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.planning.PlanningContext;
import dev.stratus.core.planning.Queueing;
import dev.stratus.core.planning.ServiceCurve;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Replica-count edits of a plan that verification makes: one replica fewer on a dedicated tuple (trimming), more on
 * the tuples of models the simulation saw failing (repair). The edited plan is re-priced, and its edited tuples get
 * the planner's predicted latency at their new count.
 */
final class PlanReplicas {

    /** One replica fewer on tuple {@code index} of {@code model}; {@code busy} is its utilisation afterwards. */
    record Removal(String model, int index, String pool, double busy, double poolCost) {
        String key() {
            return model + "#" + index + "@" + pool;
        }
    }

    private PlanReplicas() {
    }

    /**
     * The removal that leaves the least busy tuple (ties: the dearest pool first), among dedicated tuples of two or
     * more replicas that would stay below 98 % busy and are not in {@code rejected}.
     */
    static Optional<Removal> leastBusyRemoval(Plan plan, PlanningContext ctx, List<String> rejected) {
        List<Removal> options = new ArrayList<>();
        for (ModelPlan mp : plan.modelPlans()) {
            for (int i = 0; i < mp.tuples().size(); i++) {
                PlanTuple t = mp.tuples().get(i);
                if (t.shared() || t.replicas() < 2) {
                    continue;
                }
                Optional<ServiceCurve> curve = curve(ctx, mp.model(), t.pool());
                if (curve.isEmpty()) {
                    continue;
                }
                int batch = Math.min(t.batch(), curve.get().maxBatch());
                double busy = Queueing.utilisation(batch, t.replicas() - 1, t.ratePerSecond(), curve.get().meanMs(batch));
                Removal r = new Removal(mp.model(), i, t.pool(), busy, curve.get().costPerHour());
                if (busy < 0.98 && !rejected.contains(r.key())) {
                    options.add(r);
                }
            }
        }
        return options.stream().min(Comparator.comparingDouble(Removal::busy)
                .thenComparing(Comparator.comparingDouble(Removal::poolCost).reversed()));
    }

    static Plan remove(Plan plan, Removal removal, PlanningContext ctx) {
        List<ModelPlan> models = new ArrayList<>();
        for (ModelPlan mp : plan.modelPlans()) {
            if (!mp.model().equals(removal.model())) {
                models.add(mp);
                continue;
            }
            List<PlanTuple> tuples = new ArrayList<>(mp.tuples());
            tuples.set(removal.index(), resized(ctx, mp.model(), tuples.get(removal.index()),
                    tuples.get(removal.index()).replicas() - 1));
            models.add(withTuples(mp, tuples));
        }
        String line = String.format(java.util.Locale.ROOT, "Trimmed by simulation: %s on %s one replica fewer.",
                removal.model(), removal.pool());
        return rebuild(plan, models, plan.groups(), ctx.request(), line);
    }

    /**
     * The failing models' tuples with more replicas: dedicated tuples max(1, 10 %) more, their co-location groups one
     * more, within the pools' capacity; null when nothing can grow.
     */
    static Plan grow(Plan plan, List<String> failing, PlanningContext ctx) {
        PlanRequest request = ctx.request();
        List<ModelPlan> models = new ArrayList<>();
        List<String> groupsToGrow = new ArrayList<>();
        boolean grown = false;
        for (ModelPlan mp : plan.modelPlans()) {
            if (!failing.contains(mp.model())) {
                models.add(mp);
                continue;
            }
            List<PlanTuple> tuples = new ArrayList<>();
            for (PlanTuple t : mp.tuples()) {
                if (t.shared()) {
                    groupsToGrow.add(t.colocationGroup());
                    tuples.add(t);
                    continue;
                }
                int more = Math.max(1, (int) Math.ceil(0.1 * t.replicas()));
                Pool pool = request.pool(t.pool());
                if (plan.replicasIn(pool.name()) + more <= pool.maxReplicas()) {
                    tuples.add(resized(ctx, mp.model(), t, t.replicas() + more));
                    grown = true;
                } else {
                    tuples.add(t);
                }
            }
            models.add(withTuples(mp, tuples));
        }
        List<ColocationGroup> groups = new ArrayList<>();
        for (ColocationGroup g : plan.groups()) {
            Pool pool = request.pool(g.pool());
            if (groupsToGrow.contains(g.id()) && plan.replicasIn(pool.name()) + 1 <= pool.maxReplicas()) {
                groups.add(new ColocationGroup(g.id(), g.pool(), g.members(), g.replicas() + 1, g.dutyCycleMs(),
                        g.occupancy() * g.replicas() / (g.replicas() + 1), g.memoryMb()));
                grown = true;
            } else {
                groups.add(g);
            }
        }
        if (!grown) {
            return null;
        }
        List<ModelPlan> synced = new ArrayList<>();
        for (ModelPlan mp : models) {
            List<PlanTuple> tuples = mp.tuples().stream().map(t -> !t.shared() ? t : groups.stream()
                    .filter(g -> g.id().equals(t.colocationGroup())).findFirst()
                    .map(g -> new PlanTuple(t.pool(), t.batch(), t.maxQueueDelayMs(), g.replicas(), t.dispatch(),
                            t.ratePerSecond(), t.predictedWorstLatencyMs(), t.colocationGroup())).orElse(t)).toList();
            synced.add(withTuples(mp, tuples));
        }
        return rebuild(plan, synced, groups, request, "Grown by simulation: more replicas for " + String.join(", ", failing)
                + ", which missed their targets.");
    }

    private static Optional<ServiceCurve> curve(PlanningContext ctx, String model, String pool) {
        return ctx.curves(model).stream().filter(c -> c.pool().name().equals(pool)).findFirst();
    }

    /** The tuple at another replica count, with the planner's predicted latency there. */
    private static PlanTuple resized(PlanningContext ctx, String model, PlanTuple t, int replicas) {
        double worst = curve(ctx, model, t.pool()).map(c -> {
            int b = Math.min(t.batch(), c.maxBatch());
            return Queueing.worstLatencyMs(c.rttMs(), b, replicas, t.ratePerSecond(), c.meanMs(b), c.latencyMs(b),
                    c.serviceCv2(b), t.dispatch(), ctx.quantile(model));
        }).orElse(t.predictedWorstLatencyMs());
        return new PlanTuple(t.pool(), t.batch(), t.maxQueueDelayMs(), replicas, t.dispatch(), t.ratePerSecond(),
                Double.isFinite(worst) ? worst : t.predictedWorstLatencyMs(), t.colocationGroup());
    }

    private static ModelPlan withTuples(ModelPlan mp, List<PlanTuple> tuples) {
        double worst = tuples.stream().mapToDouble(PlanTuple::predictedWorstLatencyMs).max().orElse(0);
        return new ModelPlan(mp.model(), tuples, mp.latencyBudgetMs(), worst, mp.edgeShare(), mp.parameters());
    }

    private static Plan rebuild(Plan plan, List<ModelPlan> models, List<ColocationGroup> groups, PlanRequest request,
            String line) {
        double cost = 0;
        for (ModelPlan mp : models) {
            for (PlanTuple t : mp.tuples()) {
                if (!t.shared()) {
                    cost += t.replicas() * request.pool(t.pool()).costPerHour();
                }
            }
        }
        for (ColocationGroup g : groups) {
            cost += g.replicas() * request.pool(g.pool()).costPerHour();
        }
        List<String> explanation = new ArrayList<>(plan.explanation());
        explanation.removeIf(l -> l.startsWith("Total: "));
        explanation.add(line);
        int replicas = groups.stream().mapToInt(ColocationGroup::replicas).sum() + models.stream()
                .flatMap(mp -> mp.tuples().stream()).filter(t -> !t.shared()).mapToInt(PlanTuple::replicas).sum();
        explanation.add(String.format(java.util.Locale.ROOT, "Total: %.2f per hour for %d replicas.", cost, replicas));
        return new Plan(plan.policy(), plan.solver(), models, groups, plan.pipelines(), cost, explanation);
    }
}
