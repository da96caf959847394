package dev.stratus.loadgen;

/**
 * One second of a run. {@code offered} counts requests by their intended send second; the other counts and the
 * percentiles by the second their response arrived. Percentiles are of ok responses, null when there were none.
 */
public record SecondStats(int second, long offered, long completed, long ok, long okWithinSlo, long shed,
                          long deadline, long errors, Double p50Ms, Double p99Ms) {
}
