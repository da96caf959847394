package dev.stratus.dataplane.worker.http;

import dev.stratus.dataplane.worker.runtime.AnswerHandoff;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import java.util.concurrent.Executor;

/**
 * Answers a request on its own Vert.x event loop, in its own context (HTTP and gRPC alike). The receiving thread is
 * the context's Netty event loop, shared by all the connections it serves, so that one task per batch and loop
 * reaches all of them (one wake-up); each answer then runs in its request's context, as
 * {@code runOnContext} would have run it.
 */
public final class EventLoopHandoff implements AnswerHandoff {
    private final ContextInternal context;
    private final Executor thread;

    private EventLoopHandoff(ContextInternal context) {
        this.context = context;
        // A worker context's tasks must not run on the event loop: those keep one hand-off each.
        this.thread = context.isEventLoopContext() ? context.nettyEventLoop()
                : task -> context.runOnContext(ignored -> task.run());
    }

    /** The hand-off to the calling thread's Vert.x context; outside Vert.x, the completing thread answers. */
    public static AnswerHandoff current() {
        Context context = Vertx.currentContext();
        return context instanceof ContextInternal c ? new EventLoopHandoff(c) : AnswerHandoff.CALLER;
    }

    @Override
    public Executor thread() {
        return thread;
    }

    @Override
    public void run(Runnable answer) {
        if (thread == context.nettyEventLoop()) {
            context.dispatch(answer);
        } else {
            answer.run(); // already on the context, by runOnContext
        }
    }
}
