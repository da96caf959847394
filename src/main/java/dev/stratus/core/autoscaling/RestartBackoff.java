package dev.stratus.core.autoscaling;

/**
 * When the replacement of a crashed replica may start, and when its group counts as degraded. The first crash is
 * replaced at once (a worker killed by accident should cost no time); each further crash in a row waits twice as
 * long as the one before, from {@code baseMillis} up to {@code capMillis}, so that a worker that cannot start (a
 * broken model file, too little memory) does not take the machine's CPU in a loop of JVM starts. After
 * {@code degradedAfter} crashes in a row the group is degraded. A crash more than {@code resetAfterMillis} after
 * the previous one starts a new row: the replicas ran that long without crashing.
 */
public record RestartBackoff(long baseMillis, long capMillis, int degradedAfter, long resetAfterMillis) {
    /** 1 s, 2 s, 4 s ... up to a minute; degraded after three crashes in a row; a new row after two quiet minutes. */
    public static final RestartBackoff DEFAULT = new RestartBackoff(1_000, 60_000, 3, 120_000);

    public RestartBackoff {
        if (baseMillis < 1 || capMillis < baseMillis || degradedAfter < 1) {
            throw new IllegalArgumentException("need 1 <= base <= cap and degradedAfter >= 1");
        }
        if (resetAfterMillis <= capMillis) {
            // Otherwise a replica crashing at every start, spaced by the cap, would never look like a loop.
            throw new IllegalArgumentException("resetAfterMillis must exceed capMillis");
        }
    }

    /**
     * A group's crash record.
     *
     * @param inARow          crashes in the current row (0: none yet)
     * @param lastAtMillis    when the latest crash was seen
     * @param restartAtMillis earliest time a replacement may start
     */
    public record Crashes(int inARow, long lastAtMillis, long restartAtMillis) {
        public static final Crashes NONE = new Crashes(0, Long.MIN_VALUE, Long.MIN_VALUE);
    }

    /** The record after a crash seen at {@code now}. */
    public Crashes crashed(Crashes before, long now) {
        boolean sameRow = before.inARow() > 0 && now - before.lastAtMillis() <= resetAfterMillis;
        int inARow = sameRow ? before.inARow() + 1 : 1;
        return new Crashes(inARow, now, now + delayMillis(inARow));
    }

    /** How long the replacement after the n-th crash in a row waits: 0, base, 2·base, 4·base ... at most the cap. */
    public long delayMillis(int inARow) {
        if (inARow <= 1) {
            return 0;
        }
        int doublings = Math.min(inARow - 2, 62);
        long delay = baseMillis << Math.min(doublings, Long.numberOfLeadingZeros(baseMillis) - 1);
        return Math.min(capMillis, delay);
    }

    /** Whether a new replica may start now. */
    public boolean mayStart(Crashes c, long now) {
        return now >= c.restartAtMillis();
    }

    /** Whether the group is degraded now: a row of at least {@code degradedAfter} crashes that has not ended. */
    public boolean degraded(Crashes c, long now) {
        return c.inARow() >= degradedAfter && now - c.lastAtMillis() <= resetAfterMillis;
    }

    /** The record as it stands at {@code now}: a row older than the reset interval is forgotten. */
    public Crashes current(Crashes c, long now) {
        return c.inARow() > 0 && now - c.lastAtMillis() > resetAfterMillis ? Crashes.NONE : c;
    }
}
