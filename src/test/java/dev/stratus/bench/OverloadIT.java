package dev.stratus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.testing.SampleModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload at three times the planned capacity, for real ({@code stratus serve}, one ocr-rec replica, an open-loop
 * client): the excess is shed at once with 429 and counted the same by client and gateway, goodput holds, admitted
 * requests stay near their SLO, and the service recovers when the load drops. The reference is the first phase of the
 * same run, at the planned capacity: what one replica delivers on this machine at this moment. Where other work on
 * the cores makes that less than planned, the overload is three times what it delivered (three times an
 * unreachable plan would measure the cost of refusing requests on shared cores instead). See docs/reliability.md.
 */
class OverloadIT {
    @TempDir
    Path tmp;

    @Test
    void theExcessIsShedAndWhatIsAdmittedStaysNearItsSlo() throws Exception {
        SampleModels.ensureFetched();
        // The pool is declared as the CI machine class, whose committed profile plans it: a machine of another
        // class would otherwise profile ocr-rec first (minutes); the gateway's admission learns how much slower
        // this machine answers. A 2 s SLO: every assertion below is relative to it, and with it they hold where
        // other builds share the two cores and one ocr-rec inference takes 300 ms instead of 26 (seen here).
        OverloadBenchmark.Result r = new OverloadBenchmark(OverloadBenchmark.Options.defaults(Path.of("profiles"), tmp)
                .withSeconds(10, 15, 10).withHardwareId("cpu-amd-epyc-2c").withSloMs(2000), System.out).run();
        System.out.println(r.toTable());
        OverloadBenchmark.PhaseStats capacity = r.phase("capacity");
        OverloadBenchmark.PhaseStats overload = r.phase("overload");

        assertEquals(r.sent(), r.answered(), "every request answered");
        for (OverloadBenchmark.PhaseStats p : r.phases()) {
            assertEquals(0, p.errors(), p.name() + ": nothing fails but by shedding or the deadline");
        }
        assertTrue(overload.shed() > 0, "the excess is shed: " + r.toTable());
        assertEquals(r.clientShed(), r.gatewayShed(), "every shed request counted by the gateway");
        assertTrue(overload.shedP99Ms() < overload.okP50Ms(), "shed early: 429s come back sooner than most "
                + "successful answers: " + r.toTable());
        assertTrue(capacity.good() > 0, "the replica serves: " + r.toTable());
        assertTrue(r.goodputRatio() >= 0.9, "goodput under 3x overload holds at >= 90 % of the goodput at "
                + "capacity: " + r.toTable());
        // Admitted requests wait in a queue admission keeps near the SLO, never one that runs away (without it,
        // answers took 20 s here). How many land within it is a benchmark figure: on cores shared with other builds
        // single inferences vary from 0.2 to 2 s, beyond what any queue bound absorbs.
        assertTrue(overload.okP99Ms() <= 1.5 * r.sloMs(), "admitted requests stay near their SLO: " + r.toTable());
        assertTrue(r.recoverySeconds() <= 5, "recovers within seconds of the drop: " + r.toTable());
    }
}
