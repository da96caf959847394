package dev.stratus.core.planning;

import dev.stratus.core.model.plan.Pool;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Replicas still free in each pool while models are placed one after another. */
public final class PoolLedger {
    private final Map<String, Integer> free = new HashMap<>();
    private final Map<String, Integer> max = new HashMap<>();

    public PoolLedger(List<Pool> pools) {
        pools.forEach(p -> {
            free.put(p.name(), p.maxReplicas());
            max.put(p.name(), p.maxReplicas());
        });
    }

    public int free(String pool) {
        return free.get(pool);
    }

    public int max(String pool) {
        return max.get(pool);
    }

    public void take(String pool, int replicas) {
        int left = free.get(pool) - replicas;
        if (left < 0) {
            throw new IllegalStateException("pool " + pool + " over-committed by " + (-left) + " replicas");
        }
        free.put(pool, left);
    }

    public void release(String pool, int replicas) {
        free.merge(pool, replicas, Integer::sum);
    }
}
