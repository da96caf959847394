package dev.stratus.dataplane.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.fleet.DispatchMode;
import dev.stratus.core.model.fleet.RouteTarget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DispatcherTest {
    static final RouteTarget A = new RouteTarget("a", "h", 1, 4, 10, 10);
    static final RouteTarget B = new RouteTarget("b", "h", 2, 4, 10, 10);
    static final RouteTarget C = new RouteTarget("c", "h", 3, 4, 10, 10);
    static final List<RouteTarget> ABC = List.of(A, B, C);

    /** Sends {@code n} requests with nothing in flight and a generous deadline; returns the replica ids in order. */
    static String sequence(DispatchMode mode, int n) {
        Dispatcher d = new Dispatcher(mode);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(ABC.get(d.choose(ABC, t -> 0, 1000, null)).replicaId());
        }
        return s.toString();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            // batch-aware: a batch's worth (4) to one replica, then the next
            "BATCH_AWARE, aaaabbbbccccaaaa",
            // spreading: one each, in turn
            "ROUND_ROBIN, bcabcabcabcabcab"
    })
    void dispatchOrder(DispatchMode mode, String expected) {
        assertEquals(expected, sequence(mode, expected.length()));
    }

    @ParameterizedTest(name = "in flight {0}, batch {1}, mean {2} / p99 {3} ms -> {4} ms")
    @CsvSource({
            "0, 4, 10, 15, 15",   // idle: its own batch, counted conservatively
            "3, 4, 10, 15, 15",   // joins the batch being formed
            "4, 4, 10, 15, 25",   // one full batch ahead, at its mean
            "9, 4, 10, 15, 35",   // two full batches ahead
            "0, 1, 7.5, 7.5, 7.5"
    })
    void completionEstimate(int inFlight, int batch, double mean, double conservative, double expected) {
        assertEquals(expected, Admission.completionMs(inFlight, batch, mean, conservative), 1e-9);
    }

    @Test
    void skipsReplicasThatCannotMeetTheDeadlineAndShedsWhenNoneCan() {
        Map<String, Integer> load = new HashMap<>(Map.of("a", 8, "b", 0, "c", 8));
        Dispatcher d = new Dispatcher(DispatchMode.BATCH_AWARE);
        // a has two batches queued (30 ms to answer): with 15 ms left only b can take it.
        assertEquals(1, d.choose(ABC, t -> load.get(t.replicaId()), 15, null));
        load.put("b", 8);
        assertEquals(Dispatcher.SHED, d.choose(ABC, t -> load.get(t.replicaId()), 15, null));
        assertEquals(Dispatcher.SHED, d.choose(List.of(), t -> 0, 1000, null));
    }

    @Test
    void aRetryAvoidsTheReplicaThatFailed() {
        Dispatcher d = new Dispatcher(DispatchMode.BATCH_AWARE);
        assertEquals(0, d.choose(ABC, t -> 0, 100, null));
        // The same request, resent after a failed: never a again, even though a's row is not full.
        int retry = d.choose(ABC, t -> 0, 100, A);
        assertTrue(retry == 1 || retry == 2);
        assertFalse(ABC.get(retry).equals(A));
        assertEquals(Dispatcher.SHED, d.choose(List.of(A), t -> 0, 100, A));
    }

    @Test
    void shrinkingTheReplicaListKeepsWorking() {
        Dispatcher d = new Dispatcher(DispatchMode.ROUND_ROBIN);
        d.choose(ABC, t -> 0, 100, null);
        d.choose(ABC, t -> 0, 100, null);
        assertEquals(0, d.choose(List.of(A), t -> 0, 100, null));
    }
}
