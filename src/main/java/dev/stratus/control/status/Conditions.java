package dev.stratus.control.status;

import dev.stratus.resource.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a status's conditions from the previous ones: each carries the generation it reflects, and keeps its
 * {@code lastTransitionTime} while its status stays the same (a new message alone is not a transition).
 */
final class Conditions {
    private final List<Condition> previous;
    private final long generation;
    private final String now;
    private final List<Condition> next = new ArrayList<>();

    Conditions(List<Condition> previous, long generation, long nowMillis) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
        this.now = Instant.ofEpochMilli(nowMillis).toString();
    }

    Conditions set(String type, String status, String reason, String message) {
        String since = previous.stream().filter(c -> c.type().equals(type) && status.equals(c.status()))
                .map(Condition::lastTransitionTime).findFirst().orElse(now);
        next.add(new Condition(type, status, reason, message, since, generation));
        return this;
    }

    Conditions set(String type, boolean value, String reason, String message) {
        return set(type, value ? Condition.TRUE : Condition.FALSE, reason, message);
    }

    List<Condition> build() {
        return List.copyOf(next);
    }
}
