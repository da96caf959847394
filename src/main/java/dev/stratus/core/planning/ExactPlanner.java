package dev.stratus.core.planning;

import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.Pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brute force over Stratus' discretised configuration space, to measure how far the heuristic is from optimal
 * (baseline B10 of serving-papers.md §3). Same latency model and batch candidates as the heuristic. Per model, every
 * configuration of up to two tuples over (pool, batch, replicas): one tuple carrying the whole rate at its fewest
 * replicas, or a first tuple of any replica count carrying the most its replicas serve within the budget plus a
 * second tuple for the rest; an edge-preferring model may put one more such tuple on an edge pool in front.
 * Pipelines: every vector of stage budgets on the grid whose paths fit the SLO. Models are then combined under
 * the pools' replica limits. Objective: serve the most load at the edge for edge-preferring models, then the
 * lowest cost. No co-location (compare with the heuristic with co-location off). Small instances only.
 */
public final class ExactPlanner {
    public static final int MAX_MODELS = 4;
    public static final int MAX_POOLS = 4;
    private static final long MAX_BUDGET_VECTORS = 200_000;

    /** One model's configuration: its tuples, cost, replicas per pool (request order) and rate at the edge. */
    record Config(List<Sized> tuples, double cost, int[] usage, double edgeRate) {
    }

    public Plan plan(PlanningContext ctx) {
        List<ModelDemand> models = ctx.request().models();
        List<Pool> pools = ctx.request().pools();
        if (models.size() > MAX_MODELS || pools.size() > MAX_POOLS) {
            throw new IllegalArgumentException(String.format(
                    "the exact solver is for small instances (at most %d models and %d pools), got %d models and %d pools",
                    MAX_MODELS, MAX_POOLS, models.size(), pools.size()));
        }
        int steps = ctx.settings().budgetSteps();
        List<List<Map<String, Integer>>> perPipeline = new ArrayList<>();
        long combinations = 1;
        for (Pipeline p : ctx.request().pipelines()) {
            List<Map<String, Integer>> vectors = budgetVectors(p, steps);
            if (vectors.isEmpty()) {
                throw new PlanningException("pipeline " + p.name(), "no split of the SLO gives every stage a budget step");
            }
            perPipeline.add(vectors);
            combinations *= vectors.size();
            if (combinations > MAX_BUDGET_VECTORS) {
                throw new IllegalArgumentException("the exact solver is for small instances: more than "
                        + MAX_BUDGET_VECTORS + " budget splits to try");
            }
        }
        Search search = new Search(ctx);
        int[] pick = new int[perPipeline.size()];
        Best best = null;
        int splitsTried = 0;
        do {
            Map<String, Double> budgets = budgets(ctx, perPipeline, pick, steps);
            if (budgets != null) {
                splitsTried++;
                Best candidate = search.solve(budgets);
                if (candidate != null && (best == null || candidate.betterThan(best))) {
                    best = candidate;
                    best.pick = pick.clone();
                }
            }
        } while (next(pick, perPipeline));
        if (best == null) {
            throw new PlanningException("request", "the exact search found no configuration meeting every SLO within the "
                    + "pools' capacity (the heuristic names the model that fails)");
        }
        return assemble(ctx, perPipeline, best, steps, splitsTried, search);
    }

    private Plan assemble(PlanningContext ctx, List<List<Map<String, Integer>>> perPipeline, Best best, int steps,
                          int splitsTried, Search search) {
        Map<String, Double> budgetMs = budgets(ctx, perPipeline, best.pick, steps);
        Map<String, String> origin = new HashMap<>();
        budgetMs.forEach((m, b) -> origin.put(m, String.format("budget %.1f ms", b)));
        Map<String, LatencySplitter.Split> splits = new LinkedHashMap<>();
        for (int i = 0; i < perPipeline.size(); i++) {
            Pipeline p = ctx.request().pipelines().get(i);
            Map<String, Double> stage = new LinkedHashMap<>();
            Map<String, Integer> v = perPipeline.get(i).get(best.pick[i]);
            p.topologicalOrder().forEach(s -> stage.put(s, v.get(s) * p.sloMs() / steps));
            splits.put(p.name(), new LatencySplitter.Split(stage, "exhaustive over " + steps + " steps"));
        }
        Budgets budgets = new Budgets(budgetMs, origin, splits);
        PlanBuilder out = new PlanBuilder(ctx);
        out.explain("Exact search: %d budget split(s), %d model configurations kept after Pareto pruning; lowest cost "
                + "(most edge load first for edge-preferring models), no co-location.", splitsTried, search.configsKept);
        List<ModelDemand> models = ctx.request().models();
        for (int i = 0; i < models.size(); i++) {
            String name = models.get(i).name();
            for (Sized s : best.configs[i].tuples()) {
                out.tuple(name, s.toTuple());
                out.explain("%s: %d x %s at batch %d for %.1f req/s (worst %.1f ms within %.1f ms)", name, s.replicas(),
                        s.pool(), s.batch(), s.ratePerSecond(), s.worstMs(), budgetMs.get(name));
            }
        }
        return out.build(StratusPlanner.NAME, "exact", budgets);
    }

    /** Each model's budget for the chosen stage vectors, or null when some model has no budget at all. */
    private static Map<String, Double> budgets(PlanningContext ctx, List<List<Map<String, Integer>>> perPipeline,
                                               int[] pick, int steps) {
        Map<String, Double> budgets = new HashMap<>();
        for (ModelDemand m : ctx.request().models()) {
            m.ownSlo().ifPresent(s -> budgets.put(m.name(), s.latencyMs()));
        }
        for (int i = 0; i < perPipeline.size(); i++) {
            Pipeline p = ctx.request().pipelines().get(i);
            perPipeline.get(i).get(pick[i]).forEach((stage, k) ->
                    budgets.merge(stage, k * p.sloMs() / steps, Math::min));
        }
        return budgets;
    }

    private static boolean next(int[] pick, List<List<Map<String, Integer>>> perPipeline) {
        for (int i = 0; i < pick.length; i++) {
            if (++pick[i] < perPipeline.get(i).size()) {
                return true;
            }
            pick[i] = 0;
        }
        return false;
    }

    /** Every assignment of budget steps (≥ 1 each) whose longest path is at most {@code steps}. */
    static List<Map<String, Integer>> budgetVectors(Pipeline p, int steps) {
        List<String> order = p.topologicalOrder();
        List<Map<String, Integer>> out = new ArrayList<>();
        enumerate(p, order, 0, new HashMap<>(), steps, out);
        return out;
    }

    private static void enumerate(Pipeline p, List<String> order, int i, Map<String, Integer> w, int steps,
                                  List<Map<String, Integer>> out) {
        if (i == order.size()) {
            out.add(new HashMap<>(w));
            return;
        }
        String v = order.get(i);
        int upstream = 0; // longest path ending at a parent, known since parents come first
        for (var e : p.incoming(v)) {
            upstream = Math.max(upstream, pathTo(p, e.from(), w));
        }
        for (int k = 1; upstream + k <= steps; k++) {
            w.put(v, k);
            enumerate(p, order, i + 1, w, steps, out);
        }
        w.remove(v);
    }

    private static int pathTo(Pipeline p, String v, Map<String, Integer> w) {
        int up = 0;
        for (var e : p.incoming(v)) {
            up = Math.max(up, pathTo(p, e.from(), w));
        }
        return up + w.get(v);
    }

    /** The best combination found for one budget vector. */
    static final class Best {
        final Config[] configs;
        final double cost;
        final double edge;
        int[] pick;

        Best(Config[] configs, double cost, double edge) {
            this.configs = configs;
            this.cost = cost;
            this.edge = edge;
        }

        boolean betterThan(Best other) {
            if (edge > other.edge * (1 + 1e-9) + 1e-9) {
                return true;
            }
            if (edge < other.edge * (1 - 1e-9) - 1e-9) {
                return false;
            }
            return cost < other.cost - 1e-9;
        }
    }

    /** Per-model configuration lists (cached by budget) and the combination search under pool capacities. */
    private static final class Search {
        private final PlanningContext ctx;
        private final Sizing sizing;
        private final List<Pool> pools;
        private final Map<String, List<Config>> cache = new HashMap<>();
        int configsKept;

        Search(PlanningContext ctx) {
            this.ctx = ctx;
            this.sizing = ctx.sizing();
            this.pools = ctx.request().pools();
        }

        Best solve(Map<String, Double> budgets) {
            List<ModelDemand> models = ctx.request().models();
            List<List<Config>> options = new ArrayList<>();
            for (ModelDemand m : models) {
                List<Config> c = configs(m, budgets.get(m.name()));
                if (c.isEmpty()) {
                    return null;
                }
                options.add(c);
            }
            double[] minCostAfter = new double[models.size() + 1];
            double[] maxEdgeAfter = new double[models.size() + 1];
            for (int i = models.size() - 1; i >= 0; i--) {
                boolean prefers = models.get(i).edgePreference();
                minCostAfter[i] = minCostAfter[i + 1] + options.get(i).stream().mapToDouble(Config::cost).min().orElseThrow();
                maxEdgeAfter[i] = maxEdgeAfter[i + 1]
                        + (prefers ? options.get(i).stream().mapToDouble(Config::edgeRate).max().orElseThrow() : 0);
            }
            Best[] best = {null};
            int[] free = pools.stream().mapToInt(Pool::maxReplicas).toArray();
            dfs(models, options, 0, free, new Config[models.size()], 0, 0, minCostAfter, maxEdgeAfter, best);
            return best[0];
        }

        private void dfs(List<ModelDemand> models, List<List<Config>> options, int i, int[] free, Config[] chosen,
                         double cost, double edge, double[] minCostAfter, double[] maxEdgeAfter, Best[] best) {
            if (best[0] != null && cost + minCostAfter[i] >= best[0].cost - 1e-9
                    && edge + maxEdgeAfter[i] <= best[0].edge * (1 + 1e-9) + 1e-9) {
                return;
            }
            if (i == models.size()) {
                Best candidate = new Best(chosen.clone(), cost, edge);
                if (best[0] == null || candidate.betterThan(best[0])) {
                    best[0] = candidate;
                }
                return;
            }
            boolean prefers = models.get(i).edgePreference();
            for (Config c : options.get(i)) {
                if (!fits(c.usage(), free)) {
                    continue;
                }
                add(free, c.usage(), -1);
                chosen[i] = c;
                dfs(models, options, i + 1, free, chosen, cost + c.cost(), edge + (prefers ? c.edgeRate() : 0),
                        minCostAfter, maxEdgeAfter, best);
                add(free, c.usage(), 1);
            }
        }

        private static boolean fits(int[] usage, int[] free) {
            for (int p = 0; p < usage.length; p++) {
                if (usage[p] > free[p]) {
                    return false;
                }
            }
            return true;
        }

        private static void add(int[] free, int[] usage, int sign) {
            for (int p = 0; p < usage.length; p++) {
                free[p] += sign * usage[p];
            }
        }

        List<Config> configs(ModelDemand m, double budget) {
            return cache.computeIfAbsent(m.name() + "@" + budget, k -> {
                List<Config> all = enumerate(m, budget);
                List<Config> kept = pareto(all);
                configsKept += kept.size();
                return kept;
            });
        }

        private List<Config> enumerate(ModelDemand m, double budget) {
            String name = m.name();
            double rate = ctx.rate(name);
            double q = ctx.quantile(name);
            List<ServiceCurve> curves = ctx.curves(name);
            List<Config> out = new ArrayList<>();
            for (List<Sized> tail : upToTwo(curves, rate, budget, q, new int[pools.size()])) {
                out.add(config(tail));
            }
            if (m.edgePreference()) {
                for (ServiceCurve e : curves) {
                    if (!e.pool().isEdge()) {
                        continue;
                    }
                    for (Sized head : saturated(e, rate, budget, q, e.pool().maxReplicas())) {
                        int[] used = new int[pools.size()];
                        used[index(e.pool())] = head.replicas();
                        List<ServiceCurve> cloud = curves.stream().filter(c -> !c.pool().isEdge()).toList();
                        for (List<Sized> tail : upToTwo(cloud, rate - head.ratePerSecond(), budget, q, used)) {
                            List<Sized> all = new ArrayList<>();
                            all.add(head);
                            all.addAll(tail);
                            out.add(config(all));
                        }
                    }
                }
            }
            return out;
        }

        /** Every one- or two-tuple way to serve {@code rate}, respecting each pool's capacity net of {@code used}. */
        private List<List<Sized>> upToTwo(List<ServiceCurve> curves, double rate, double budget, double q, int[] used) {
            List<List<Sized>> out = new ArrayList<>();
            for (ServiceCurve c : curves) {
                int cap = c.pool().maxReplicas() - used[index(c.pool())];
                for (int b : c.candidatesView()) {
                    sizing.size(c, b, rate, budget, DispatchPolicy.BATCH_AWARE, cap, q).ifPresent(s -> out.add(List.of(s)));
                }
            }
            for (ServiceCurve c : curves) {
                int cap = c.pool().maxReplicas() - used[index(c.pool())];
                for (Sized first : saturated(c, rate, budget, q, cap)) {
                    double rest = rate - first.ratePerSecond();
                    for (ServiceCurve c2 : curves) {
                        int cap2 = c2.pool().maxReplicas() - used[index(c2.pool())]
                                - (c2 == c ? first.replicas() : 0);
                        for (int b2 : c2.candidatesView()) {
                            Optional<Sized> second = sizing.size(c2, b2, rest, budget, DispatchPolicy.BATCH_AWARE, cap2, q);
                            second.ifPresent(s -> out.add(List.of(first, s)));
                        }
                    }
                }
            }
            return out;
        }

        /** For each batch and replica count up to {@code cap}: a tuple carrying the most it can, when less than {@code rate}. */
        private List<Sized> saturated(ServiceCurve c, double rate, double budget, double q, int cap) {
            List<Sized> out = new ArrayList<>();
            for (int b : c.candidatesView()) {
                for (int k = 1; k <= cap; k++) {
                    double r = sizing.maxRate(c, b, k, budget, DispatchPolicy.BATCH_AWARE, q);
                    if (r >= rate * (1 - 1e-9)) {
                        break;
                    }
                    if (r <= 0) {
                        continue;
                    }
                    sizing.size(c, b, r, budget, DispatchPolicy.BATCH_AWARE, k, q).ifPresent(out::add);
                }
            }
            return out;
        }

        private Config config(List<Sized> tuples) {
            int[] usage = new int[pools.size()];
            double cost = 0;
            double edge = 0;
            for (Sized s : tuples) {
                usage[index(s.curve().pool())] += s.replicas();
                cost += s.costPerHour();
                if (s.curve().pool().isEdge()) {
                    edge += s.ratePerSecond();
                }
            }
            return new Config(tuples, cost, usage, edge);
        }

        private int index(Pool pool) {
            return pools.indexOf(pool);
        }

        /** Drops configurations another one beats on cost, every pool's usage and edge rate at once. */
        private static List<Config> pareto(List<Config> all) {
            List<Config> sorted = new ArrayList<>(all);
            sorted.sort(Comparator.comparingDouble(Config::cost).thenComparing(c -> -c.edgeRate()));
            List<Config> kept = new ArrayList<>();
            for (Config c : sorted) {
                boolean dominated = false;
                for (Config k : kept) {
                    if (k.cost() <= c.cost() + 1e-9 && k.edgeRate() >= c.edgeRate() - 1e-9 && fits(k.usage(), c.usage())) {
                        dominated = true;
                        break;
                    }
                }
                if (!dominated) {
                    kept.add(c);
                }
            }
            return kept;
        }
    }
}
