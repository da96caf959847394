package dev.stratus.core.simulation;

/** One model over the last control period: arrivals, requests served within and beyond the SLO, drops. */
public record ModelObservation(String model, long arrivals, long withinSlo, long late, long dropped) {

    /** Fraction of the period's resolved requests that met the SLO (1 when none were resolved). */
    public double attainment() {
        long resolved = withinSlo + late + dropped;
        return resolved == 0 ? 1 : (double) withinSlo / resolved;
    }
}
