package dev.stratus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stratus.core.model.fleet.DispatchMode;
import dev.stratus.core.model.fleet.ModelRoute;
import dev.stratus.core.model.fleet.RouteTarget;
import dev.stratus.core.model.fleet.RoutingTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The batch a pipeline stage's replica is routed for, and each gateway's share of the routing table. */
class RoutingBuilderTest {
    /** A batch of b takes 10 + 5 b ms conservatively. */
    @ParameterizedTest(name = "max batch {0}, deadline {1} ms -> batch {2}")
    @CsvSource({
            "8,  200, 8", // 50 ms <= 100: the worker's max batch
            "8,  60,  4", // 30 ms <= 30
            "8,  50,  3", // 25 ms <= 25
            "8,  20,  1", // none fits: batch 1, admission then sheds what cannot make it
            "1,  500, 1"})
    void aStageIsRoutedForTheLargestBatchThatFitsHalfItsBudget(int maxBatch, double deadlineMs, int expected) {
        assertEquals(expected, RoutingBuilder.routedBatch(maxBatch, deadlineMs, b -> 10 + 5.0 * b));
    }

    @ParameterizedTest(name = "site ''{0}'' keeps {1}")
    @CsvSource({"'', cloud-0", "edge-a, edge-0", "edge-b, ''"})
    void eachGatewayKeepsItsSitesReplicas(String site, String kept) {
        RoutingTable all = new RoutingTable(Map.of("vad", new ModelRoute("vad", 50, DispatchMode.BATCH_AWARE,
                List.of(new RouteTarget("cloud-0", "127.0.0.1", 1, 1, 1, 1, RouteTarget.CLOUD),
                        new RouteTarget("edge-0", "127.0.0.1", 2, 1, 1, 1, "edge-a")))), Map.of(),
                Map.of("edge-a", 20.0, "edge-b", 30.0));
        RoutingTable mine = all.forSite(site == null ? "" : site);
        assertEquals(kept == null || kept.isEmpty() ? List.of() : List.of(kept), mine.route("vad").orElseThrow().targets().stream()
                .map(RouteTarget::replicaId).toList());
        assertEquals(all.sites(), mine.sites(), "every gateway knows every site's round trip");
    }
}
