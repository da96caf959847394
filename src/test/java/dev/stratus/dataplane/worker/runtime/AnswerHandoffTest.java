package dev.stratus.dataplane.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A batch's answers reach each receiving thread in one task, each run in its own request's context, in order. */
class AnswerHandoffTest {
    /** A receiving thread that queues its tasks (run later, as an event loop would) and counts them. */
    static final class Loop implements Executor {
        final String name;
        final boolean shutDown;
        final List<Runnable> tasks = new ArrayList<>();

        Loop(String name, boolean shutDown) {
            this.name = name;
            this.shutDown = shutDown;
        }

        @Override
        public void execute(Runnable task) {
            if (shutDown) {
                throw new RejectedExecutionException(name + " is shut down");
            }
            tasks.add(task);
        }
    }

    /** One request's hand-off: its loop, and the context (a name) its answer must run in. */
    record Handoff(Loop loop, String context, List<String> log) implements AnswerHandoff {
        @Override
        public Executor thread() {
            return loop;
        }

        @Override
        public void run(Runnable answer) {
            log.add("enter " + context);
            answer.run();
            log.add("leave " + context);
        }
    }

    /** Each request's loop (by name; "down" is shut down), and the tasks each loop gets. */
    static Stream<Arguments> batches() {
        return Stream.of(
                Arguments.of("one request", List.of("a"), Map.of("a", 1)),
                Arguments.of("eight requests on one loop: one task", List.of("a", "a", "a", "a", "a", "a", "a", "a"),
                        Map.of("a", 1)),
                Arguments.of("two loops, interleaved: one task each", List.of("a", "b", "a", "b", "b"),
                        Map.of("a", 1, "b", 1)),
                Arguments.of("a loop shutting down: answered on the completing thread", List.of("down", "a", "down"),
                        Map.of("a", 1, "down", 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void aBatchsAnswersReachEachLoopOnceInBatchOrder(String why, List<String> loopOfRequest,
            Map<String, Integer> tasksPerLoop) {
        Map<String, Loop> loops = new LinkedHashMap<>();
        List<String> log = new ArrayList<>();
        List<WorkItem> items = new ArrayList<>();
        for (int i = 0; i < loopOfRequest.size(); i++) {
            String name = loopOfRequest.get(i);
            Loop loop = loops.computeIfAbsent(name, n -> new Loop(n, n.equals("down")));
            ValidatedRequest request = new ValidatedRequest(Map.of(), 1, "k", 1.0, List.of(), List.of());
            items.add(new WorkItem(request, 0, Long.MAX_VALUE, new Handoff(loop, "request " + i, log)));
        }
        ModelRuntime.handOff(items, i -> () -> {
            log.add("answer " + i);
            items.get(i).result.complete(List.of());
        });
        loops.values().forEach(loop -> assertEquals(tasksPerLoop.get(loop.name), loop.tasks.size(), why + ": "
                + loop.name));
        loops.values().forEach(loop -> loop.tasks.forEach(Runnable::run));
        assertTrue(items.stream().allMatch(item -> item.result.isDone()), why + ": every request answered");
        // Each answer runs inside its own request's context, and a loop's answers in batch order.
        for (Loop loop : loops.values()) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                int at = log.indexOf("answer " + i);
                assertEquals("enter request " + i, log.get(at - 1), why);
                assertEquals("leave request " + i, log.get(at + 1), why);
                if (loopOfRequest.get(i).equals(loop.name)) {
                    order.add(at);
                }
            }
            assertEquals(order.stream().sorted().toList(), order, why + ": " + loop.name + " in batch order");
        }
    }
}
