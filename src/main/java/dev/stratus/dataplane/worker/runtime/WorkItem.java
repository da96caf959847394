package dev.stratus.dataplane.worker.runtime;

import dev.stratus.core.batching.BatchItem;
import dev.stratus.core.model.Tensor;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A validated request waiting in (or running from) a model's queue. */
final class WorkItem implements BatchItem {
    final ValidatedRequest request;
    final long enqueuedAt;
    final long deadline;
    /** Where the result is completed: the request's own thread and context. */
    final AnswerHandoff handoff;
    final CompletableFuture<List<Tensor>> result = new CompletableFuture<>();

    WorkItem(ValidatedRequest request, long enqueuedAt, long deadline, AnswerHandoff handoff) {
        this.request = request;
        this.enqueuedAt = enqueuedAt;
        this.deadline = deadline;
        this.handoff = handoff;
    }

    @Override
    public long enqueuedAtNanos() {
        return enqueuedAt;
    }

    @Override
    public long deadlineNanos() {
        return deadline;
    }

    @Override
    public int batchCount() {
        return request.batchCount();
    }

    @Override
    public Object compatibilityKey() {
        return request.compatibilityKey();
    }

    @Override
    public double costScale() {
        return request.costScale();
    }
}
