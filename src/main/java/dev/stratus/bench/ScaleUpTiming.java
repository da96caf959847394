package dev.stratus.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Time from an autoscaler's scale-up decision to the first new serving capacity, from the control service's event
 * log and the replicas seen in the fleet. A decision served from the warm pool counts until its PROMOTE_WARM event
 * (the standby joins routing then); one served by cold starts counts until the first replica started for it
 * (within {@link #MATCH_WINDOW_MS} after its START_COLD event) was ready.
 */
public final class ScaleUpTiming {
    /** How long after a decision its actions (promotion or cold start) may come to be matched to it. */
    public static final long MATCH_WINDOW_MS = 5_000;

    /** One event of the control service's log (the fields this needs). */
    public record Event(long atMillis, String group, String kind) {
    }

    /** One replica as seen in the fleet: when it started and, once ready, when it became ready (epoch ms). */
    public record ReplicaSeen(String id, String group, long startedAtMillis, Long readyAtMillis) {
    }

    public enum Path { WARM, COLD }

    /** One scale-up decision and how long until new capacity served. */
    public record Timing(long decidedAtMillis, String group, Path path, long millisToServing) {
    }

    private ScaleUpTiming() {
    }

    /** One timing per SCALE_UP decision whose capacity was seen serving; decisions without a match are left out. */
    public static List<Timing> of(List<Event> events, Collection<ReplicaSeen> replicas) {
        List<Timing> out = new ArrayList<>();
        for (Event up : events) {
            if (!up.kind().equals("SCALE_UP")) {
                continue;
            }
            Event promote = next(events, up, "PROMOTE_WARM");
            if (promote != null) {
                out.add(new Timing(up.atMillis(), up.group(), Path.WARM, promote.atMillis() - up.atMillis()));
                continue;
            }
            Event cold = next(events, up, "START_COLD");
            if (cold == null) {
                continue;
            }
            Long firstReady = null;
            for (ReplicaSeen r : replicas) {
                // Started by this action: the start time is estimated from the fleet's age, hence the slack.
                if (r.group().equals(up.group()) && r.readyAtMillis() != null
                        && r.startedAtMillis() >= cold.atMillis() - 250
                        && r.startedAtMillis() <= cold.atMillis() + 2_000
                        && (firstReady == null || r.readyAtMillis() < firstReady)) {
                    firstReady = r.readyAtMillis();
                }
            }
            if (firstReady != null) {
                out.add(new Timing(up.atMillis(), up.group(), Path.COLD, Math.max(0, firstReady - up.atMillis())));
            }
        }
        return out;
    }

    /** The first event of {@code kind} in the same group within the match window after the decision. */
    private static Event next(List<Event> events, Event up, String kind) {
        for (Event e : events) {
            if (e.kind().equals(kind) && e.group().equals(up.group()) && e.atMillis() >= up.atMillis()
                    && e.atMillis() <= up.atMillis() + MATCH_WINDOW_MS) {
                return e;
            }
        }
        return null;
    }

    /** Median of the timings on a path, or NaN when there is none. */
    public static double medianMillis(List<Timing> timings, Path path) {
        List<Long> ms = timings.stream().filter(t -> t.path() == path).map(Timing::millisToServing).sorted().toList();
        if (ms.isEmpty()) {
            return Double.NaN;
        }
        int n = ms.size();
        return n % 2 == 1 ? ms.get(n / 2) : (ms.get(n / 2 - 1) + ms.get(n / 2)) / 2.0;
    }
}
