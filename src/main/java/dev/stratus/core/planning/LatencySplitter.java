package dev.stratus.core.planning;

import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Splits a pipeline's end-to-end SLO into per-stage latency budgets on a grid of {@code steps} equal steps, so
 * that every source-to-sink path sums to at most the SLO, at the lowest total stage cost:
 * <ul>
 * <li>trees and chains (no stage with two parents): Nexus' dynamic program (serving-papers.md §1.5 (8)),
 * dp[v][t] = min over k ≤ t of cost_v(k) + Σ_children dp[c][t−k], exact on the grid;</li>
 * <li>general DAGs: a greedy latency-cost-efficiency split (Harpagon §1.1 (5)): start every stage at its
 * smallest feasible budget, then repeatedly give the increment with the largest cost drop per millisecond that
 * keeps every path within the SLO.</li>
 * </ul>
 * Both finish with a latency reassigner: slack a stage can take without breaking any path is handed to it, in
 * topological order (costs never rise with a larger budget); with {@link Slack#SHARED} (Stratus' planner) cost
 * ties keep each stage at its least-cost budget and the slack first grows every budget in proportion.
 */
public final class LatencySplitter {

    /** The cost per hour of serving a stage within a budget (infinite when it cannot). */
    @FunctionalInterface
    public interface StageCost {
        double cost(String stage, double budgetMs);
    }

    /** Per-stage budgets (topological order) and which method produced them. */
    public record Split(Map<String, Double> budgetsMs, String method) {
    }

    private LatencySplitter() {
    }

    /** How the slack a cheapest split leaves is handed out. */
    public enum Slack {
        /** Nexus' DP as published: ties keep the slack in the earlier stage; the rest in topological order. */
        FIRST_STAGE,
        /** Stratus: ties keep each stage at its least-cost budget; the slack grows every budget in proportion. */
        SHARED
    }

    public static Split split(Pipeline pipeline, int steps, StageCost cost) {
        return split(pipeline, steps, cost, true, Slack.FIRST_STAGE);
    }

    /** As {@link #split(Pipeline, int, StageCost)}; {@code reassign = false} leaves the DP's or greedy's budgets as they are. */
    public static Split split(Pipeline pipeline, int steps, StageCost cost, boolean reassign) {
        return split(pipeline, steps, cost, reassign, Slack.FIRST_STAGE);
    }

    /** As {@link #split(Pipeline, int, StageCost, boolean)}, with the slack handed out as {@code slack} says. */
    public static Split split(Pipeline pipeline, int steps, StageCost cost, boolean reassign, Slack slack) {
        double step = pipeline.sloMs() / steps;
        List<String> order = pipeline.topologicalOrder();
        Map<String, double[]> costs = new HashMap<>();
        for (String s : order) {
            double[] c = new double[steps + 1];
            c[0] = Double.POSITIVE_INFINITY;
            for (int k = 1; k <= steps; k++) {
                c[k] = cost.cost(s, k * step);
            }
            costs.put(s, c);
        }
        Map<String, Integer> minimal = new HashMap<>();
        for (String s : order) {
            int k = 1;
            while (k <= steps && Double.isInfinite(costs.get(s)[k])) {
                k++;
            }
            if (k > steps) {
                throw new PlanningException("pipeline " + pipeline.name(), String.format(
                        "stage %s cannot meet even the whole SLO of %.1f ms", s, pipeline.sloMs()));
            }
            minimal.put(s, k);
        }
        Map<String, Integer> fastest = new HashMap<>(minimal);
        if (longestPath(pipeline, fastest) > steps) {
            List<String> path = criticalPath(pipeline, fastest);
            throw new PlanningException("pipeline " + pipeline.name(), String.format(
                    "SLO %.1f ms is below the fastest path %s = %.1f ms (each stage's lowest feasible budget, in steps of %.1f ms)",
                    pipeline.sloMs(), String.join(" -> ", path),
                    path.stream().mapToInt(fastest::get).sum() * step, step));
        }
        Map<String, Integer> budgets;
        String method;
        if (pipeline.isForest()) {
            budgets = treeDp(pipeline, steps, costs, slack);
            method = "Nexus DP over " + steps + " steps of " + fmt(step) + " ms (tree)";
        } else {
            budgets = greedy(pipeline, steps, costs, minimal);
            method = "greedy latency-cost efficiency over " + steps + " steps of " + fmt(step) + " ms (DAG)";
        }
        if (reassign) {
            reassign(pipeline, steps, budgets, slack);
        }
        return new Split(toMs(order, budgets, step), method);
    }

    /** The baselines' split: every stage gets SLO / (stages on the longest path). */
    public static Split evenly(Pipeline pipeline) {
        Map<String, Integer> ones = new HashMap<>();
        pipeline.stages().forEach(s -> ones.put(s, 1));
        int depth = longestPath(pipeline, ones);
        Map<String, Double> budgets = new LinkedHashMap<>();
        pipeline.topologicalOrder().forEach(s -> budgets.put(s, pipeline.sloMs() / depth));
        return new Split(budgets, "even split over the " + depth + " stages of the longest path");
    }

    private static Map<String, Integer> treeDp(Pipeline p, int steps, Map<String, double[]> costs, Slack slack) {
        Map<String, double[]> dp = new HashMap<>();
        Map<String, int[]> choice = new HashMap<>();
        List<String> order = p.topologicalOrder();
        for (int i = order.size() - 1; i >= 0; i--) { // children before parents
            String v = order.get(i);
            List<String> children = p.outgoing(v).stream().map(PipelineEdge::to).toList();
            double[] best = new double[steps + 1];
            int[] pick = new int[steps + 1];
            best[0] = Double.POSITIVE_INFINITY;
            for (int t = 1; t <= steps; t++) {
                best[t] = Double.POSITIVE_INFINITY;
                // The first own budget tried wins a cost tie. Larger first (Nexus): the slack stays here. Smaller
                // first (shared): a stage keeps only what it needs and the reassigner shares the rest (slack all
                // in the first stage starved the later ones: an OCR detector given 1.7 s of 2 s it did not use,
                // the recogniser behind a fan-out 200 ms).
                for (int n = 1; n <= t; n++) {
                    int k = slack == Slack.SHARED ? n : t + 1 - n;
                    double total = costs.get(v)[k];
                    for (String c : children) {
                        total += dp.get(c)[t - k];
                    }
                    if (total < best[t] - 1e-9) {
                        best[t] = total;
                        pick[t] = k;
                    }
                }
            }
            dp.put(v, best);
            choice.put(v, pick);
        }
        Map<String, Integer> budgets = new HashMap<>();
        for (String root : order) {
            if (p.incoming(root).isEmpty()) {
                assign(p, root, steps, choice, budgets);
            }
        }
        return budgets;
    }

    private static void assign(Pipeline p, String v, int t, Map<String, int[]> choice, Map<String, Integer> budgets) {
        int k = choice.get(v)[t];
        budgets.put(v, k);
        for (PipelineEdge e : p.outgoing(v)) {
            assign(p, e.to(), t - k, choice, budgets);
        }
    }

    private static Map<String, Integer> greedy(Pipeline p, int steps, Map<String, double[]> costs,
                                               Map<String, Integer> minimal) {
        Map<String, Integer> budgets = new HashMap<>(minimal);
        while (true) {
            String bestStage = null;
            int bestExtra = 0;
            double bestEfficiency = 0;
            Map<String, Integer> through = pathsThrough(p, budgets);
            for (String v : p.stages()) {
                int k = budgets.get(v);
                int room = steps - through.get(v);
                double[] c = costs.get(v);
                for (int e = 1; e <= room; e++) {
                    double efficiency = (c[k] - c[k + e]) / e;
                    if (efficiency > bestEfficiency + 1e-12) {
                        bestEfficiency = efficiency;
                        bestStage = v;
                        bestExtra = e;
                    }
                }
            }
            if (bestStage == null) {
                return budgets;
            }
            budgets.merge(bestStage, bestExtra, Integer::sum);
        }
    }

    /**
     * Hands out the slack: shared, every budget first grows in proportion to its size until the longest path fills
     * the SLO (each stage keeps the same share of headroom for queueing and contention); then what is left is
     * handed out in topological order.
     */
    private static void reassign(Pipeline p, int steps, Map<String, Integer> budgets, Slack slack) {
        double scale = (double) steps / longestPath(p, budgets);
        if (slack == Slack.SHARED && scale > 1) {
            budgets.replaceAll((v, k) -> Math.max(k, (int) Math.floor(k * scale + 1e-9)));
        }
        for (String v : p.topologicalOrder()) {
            int room = steps - pathsThrough(p, budgets).get(v);
            if (room > 0) {
                budgets.merge(v, room, Integer::sum);
            }
        }
    }

    /** For each stage, the longest source-to-sink path through it under the given budgets. */
    static Map<String, Integer> pathsThrough(Pipeline p, Map<String, Integer> w) {
        List<String> order = p.topologicalOrder();
        Map<String, Integer> forward = new HashMap<>();
        for (String v : order) {
            int up = p.incoming(v).stream().mapToInt(e -> forward.get(e.from())).max().orElse(0);
            forward.put(v, up + w.get(v));
        }
        Map<String, Integer> backward = new HashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            String v = order.get(i);
            int down = p.outgoing(v).stream().mapToInt(e -> backward.get(e.to())).max().orElse(0);
            backward.put(v, down + w.get(v));
        }
        Map<String, Integer> through = new HashMap<>();
        order.forEach(v -> through.put(v, forward.get(v) + backward.get(v) - w.get(v)));
        return through;
    }

    static int longestPath(Pipeline p, Map<String, Integer> w) {
        return pathsThrough(p, w).values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The heaviest source-to-sink path, in order. */
    static List<String> criticalPath(Pipeline p, Map<String, Integer> w) {
        Map<String, Integer> through = pathsThrough(p, w);
        int longest = through.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return p.topologicalOrder().stream().filter(v -> through.get(v) == longest).collect(Collectors.toList());
    }

    /** The longest path sum of per-stage values (e.g. predicted latencies), in milliseconds. */
    public static double longestPathMs(Pipeline p, Map<String, Double> valuesMs) {
        Map<String, Double> forward = new HashMap<>();
        double longest = 0;
        for (String v : p.topologicalOrder()) {
            double up = p.incoming(v).stream().mapToDouble(e -> forward.get(e.from())).max().orElse(0);
            forward.put(v, up + valuesMs.getOrDefault(v, 0.0));
            longest = Math.max(longest, forward.get(v));
        }
        return longest;
    }

    private static Map<String, Double> toMs(List<String> order, Map<String, Integer> budgets, double step) {
        Map<String, Double> ms = new LinkedHashMap<>();
        order.forEach(s -> ms.put(s, budgets.get(s) * step));
        return ms;
    }

    private static String fmt(double v) {
        return String.format("%.1f", v);
    }
}
