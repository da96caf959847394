package dev.stratus.core.port;

/**
 * Wall-clock time in epoch milliseconds. The control loop reads time only through this, so that its rules can be
 * tested with a manual clock and the same loop runs locally and in the operator.
 */
@FunctionalInterface
public interface Clock {
    Clock SYSTEM = System::currentTimeMillis;

    long millis();
}
