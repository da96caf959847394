package dev.stratus.dataplane.worker.runtime;

import java.util.concurrent.Executor;

/**
 * Where a request's answer goes from the model's execution thread. Handing each answer over on its own costs a
 * wake-up of the receiving thread per request (an eventfd write on Linux); the answers of one batch that go to the
 * same thread are therefore handed over together, in one task that runs each of them in its request's context.
 */
public interface AnswerHandoff {
    /**
     * The thread the answer is handed to, as an executor that is the same object for every request answered there:
     * what a batch's answers are grouped by.
     */
    Executor thread();

    /** Runs an answer in the request's own context; called on {@link #thread()}. */
    void run(Runnable answer);

    /** Answers on the thread that completes the request (the model's execution thread): benchmarks, tests. */
    AnswerHandoff CALLER = new AnswerHandoff() {
        private final Executor direct = Runnable::run;

        @Override
        public Executor thread() {
            return direct;
        }

        @Override
        public void run(Runnable answer) {
            answer.run();
        }
    };
}
