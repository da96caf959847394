package dev.stratus.dataplane.gateway;

/**
 * A model's (or pipeline's) requests at one gateway since it started, client errors excepted, by where they were
 * served ({@link Served}), and how many of each were answered successfully within the SLO.
 */
public record ServedCounts(String model, long[] total, long[] good) {
    public ServedCounts {
        total = total.clone();
        good = good.clone();
    }

    public long total(Served where) {
        return total[where.ordinal()];
    }

    public long good(Served where) {
        return good[where.ordinal()];
    }

    public long all() {
        long n = 0;
        for (long t : total) {
            n += t;
        }
        return n;
    }
}
