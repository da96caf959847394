package dev.stratus.core.planning;

import dev.stratus.core.model.plan.Pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nexus' squishy bin packing of small loads onto shared replicas (serving-papers.md §1.5 (3)): the members of a
 * group each run one batch per duty cycle D, round-robin. Loads are placed largest rate first onto the open group
 * of their pool with the highest resulting occupancy, or open a new group. Two admission rules:
 * <ul>
 * <li>{@link Rule#NEXUS}, as in Nexus' code: D = min of the members' own duty cycles, b_i = ceil(D·r_i) ≤ the
 * member's half-SLO batch, Σ l_i(b_i) ≤ D with l = mean + std; predicted worst D + l_i(b_i).</li>
 * <li>{@link Rule#STRATUS}: D is the shortest cycle that keeps Σ l_i(b_i) ≤ ρmax·D, with b_i the Poisson
 * {@code quantile} of arrivals in D (a burst at the percentile still fits the cycle), and every member must meet
 * RTT + D + l_i(b_i) ≤ its budget (a request arriving just after its session's turn waits at most one cycle for
 * the next turn, then runs); l is the conservative latency.</li>
 * </ul>
 * Both keep the members' memory within one replica of the pool.
 */
public final class SquishyPacker {
    public enum Rule { NEXUS, STRATUS }

    /**
     * A load to pack. {@code maxBatch} is the largest batch the member may run (Nexus: its half-SLO batch);
     * {@code ownDutyCycleMs} is Nexus' per-session duty cycle d_i (unused by the Stratus rule).
     */
    public record Item(String model, ServiceCurve curve, double ratePerSecond, double budgetMs, double quantile,
                       int maxBatch, double ownDutyCycleMs) {
        Pool pool() {
            return curve.pool();
        }
    }

    /** A packed group: its members, the duty cycle, each member's batch and predicted worst latency. */
    public record Group(Pool pool, List<Item> items, double dutyCycleMs, int[] batches, double[] worstMs,
                        double occupancy, double memoryMb) {
    }

    private final Rule rule;
    private final double maxUtilisation;
    private final int window;

    public SquishyPacker(Rule rule, double maxUtilisation, int window) {
        this.rule = rule;
        this.maxUtilisation = maxUtilisation;
        this.window = window;
    }

    /** Packs the items; groups of one member are returned too (callers keep those as dedicated replicas). */
    public List<Group> pack(List<Item> items) {
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble(Item::ratePerSecond).reversed().thenComparing(Item::model));
        Map<String, List<Group[]>> open = new HashMap<>(); // one-element arrays: slots updated in place
        List<Group[]> all = new ArrayList<>();
        for (Item item : sorted) {
            List<Group[]> candidates = open.computeIfAbsent(item.pool().name(), k -> new ArrayList<>());
            Group[] bestSlot = null;
            Group bestGroup = null;
            for (int i = Math.max(0, candidates.size() - window); i < candidates.size(); i++) {
                List<Item> members = new ArrayList<>(candidates.get(i)[0].items());
                if (members.stream().anyMatch(m -> m.model().equals(item.model()))) {
                    continue; // a model's second tuple (main + residual) never shares a replica with its first
                }
                members.add(item);
                Optional<Group> merged = evaluate(item.pool(), members);
                if (merged.isPresent() && (bestGroup == null || merged.get().occupancy() > bestGroup.occupancy())) {
                    bestSlot = candidates.get(i);
                    bestGroup = merged.get();
                }
            }
            if (bestGroup != null) {
                bestSlot[0] = bestGroup;
            } else {
                evaluate(item.pool(), List.of(item)).ifPresent(g -> {
                    Group[] slot = {g};
                    candidates.add(slot);
                    all.add(slot);
                });
            }
        }
        return all.stream().map(slot -> slot[0]).toList();
    }

    /** The group these items would form on one replica of the pool, or empty when they do not fit. */
    public Optional<Group> evaluate(Pool pool, List<Item> members) {
        double memory = members.stream().mapToDouble(i -> i.curve().model().memoryMb()).sum();
        if (memory > pool.memoryMb()) {
            return Optional.empty();
        }
        return rule == Rule.NEXUS ? nexus(pool, members, memory) : stratus(pool, members, memory);
    }

    private Optional<Group> nexus(Pool pool, List<Item> members, double memory) {
        double d = members.stream().mapToDouble(Item::ownDutyCycleMs).min().orElseThrow();
        int n = members.size();
        int[] batches = new int[n];
        double busy = 0;
        for (int i = 0; i < n; i++) {
            Item it = members.get(i);
            batches[i] = Math.max(1, (int) Math.ceil(d * it.ratePerSecond() / 1000.0 - 1e-9));
            if (batches[i] > it.maxBatch()) {
                return Optional.empty();
            }
            busy += it.curve().meanPlusStdMs(batches[i]);
        }
        if (busy > d) {
            return Optional.empty();
        }
        double[] worst = new double[n];
        for (int i = 0; i < n; i++) {
            worst[i] = pool.networkRttMs() + d + members.get(i).curve().meanPlusStdMs(batches[i]);
        }
        return Optional.of(new Group(pool, List.copyOf(members), d, batches, worst, busy / d, memory));
    }

    private Optional<Group> stratus(Pool pool, List<Item> members, double memory) {
        double rtt = pool.networkRttMs();
        double hi = members.stream().mapToDouble(i -> i.budgetMs() - rtt).min().orElseThrow();
        double floor = members.stream().mapToDouble(i -> i.curve().latencyMs(1)).sum();
        if (floor / maxUtilisation > hi) { // even batches of one cannot fit a cycle short enough
            return Optional.empty();
        }
        if (!batchesFit(members, hi)) { // shrink until every member's burst fits its max batch
            double lo = 0;
            for (int i = 0; i < 30; i++) {
                double mid = (lo + hi) / 2;
                if (batchesFit(members, mid)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            hi = lo;
            if (hi <= 0) {
                return Optional.empty();
            }
        }
        if (busyMs(members, hi) > maxUtilisation * hi) {
            return Optional.empty();
        }
        double lo = 0;
        for (int i = 0; i < 30; i++) { // the shortest stable cycle gives the lowest latency
            double mid = (lo + hi) / 2;
            if (busyMs(members, mid) <= maxUtilisation * mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        double d = hi;
        int n = members.size();
        int[] batches = new int[n];
        for (int i = 0; i < n; i++) {
            batches[i] = batch(members.get(i), d);
        }
        double busy = cycleBusyMs(members, batches);
        double[] worst = new double[n];
        for (int i = 0; i < n; i++) {
            // A member's batch starts at most one cycle after its first request, and may then wait for the other
            // members' batches of that cycle before its own runs: the whole cycle's executions count, not only its
            // own (the simulator showed members missing their SLO when only their own batch was counted).
            worst[i] = rtt + d + Math.max(busy, members.get(i).curve().latencyMs(batches[i]));
            if (worst[i] > members.get(i).budgetMs()) {
                return Optional.empty();
            }
        }
        return Optional.of(new Group(pool, List.copyOf(members), d, batches, worst, busy / d, memory));
    }

    private static int batch(Item item, double dutyCycleMs) {
        return Math.max(1, Queueing.poissonQuantile(dutyCycleMs * item.ratePerSecond() / 1000.0, item.quantile(),
                item.maxBatch()));
    }

    private static boolean batchesFit(List<Item> members, double dutyCycleMs) {
        for (Item it : members) {
            if (batch(it, dutyCycleMs) > it.maxBatch()) {
                return false;
            }
        }
        return true;
    }

    private static double busyMs(List<Item> members, double dutyCycleMs) {
        int[] batches = new int[members.size()];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = batch(members.get(i), dutyCycleMs);
        }
        return cycleBusyMs(members, batches);
    }

    /**
     * Time one duty cycle's batches take together, at a high percentile: the sum of their means plus two standard
     * deviations of the sum. Adding every member's own p99 would assume they are all slow in the same cycle.
     */
    private static double cycleBusyMs(List<Item> members, int[] batches) {
        double mean = 0;
        double variance = 0;
        for (int i = 0; i < batches.length; i++) {
            ServiceCurve c = members.get(i).curve();
            double m = c.meanMs(batches[i]);
            double std = c.meanPlusStdMs(batches[i]) - m;
            mean += m;
            variance += std * std;
        }
        return mean + 2 * Math.sqrt(variance);
    }
}
