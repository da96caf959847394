package dev.stratus.loadgen;

import java.util.List;

/** How requests arrive over time. Rates are in requests per second, times in seconds from the start of the run. */
public sealed interface ArrivalSpec {

    /** The same process with every rate multiplied by {@code factor} (the CLI's {@code --rate-scale}). */
    ArrivalSpec scaled(double factor);

    /** Exponential inter-arrival times: the memoryless baseline. */
    record Poisson(double rate) implements ArrivalSpec {
        public Poisson scaled(double factor) {
            return new Poisson(rate * factor);
        }
    }

    /** Gamma-distributed inter-arrival times with coefficient of variation {@code cv} (cv 1 = Poisson, > 1 = burstier). */
    record Gamma(double rate, double cv) implements ArrivalSpec {
        public Gamma scaled(double factor) {
            return new Gamma(rate * factor, cv);
        }
    }

    /** Two-state Markov-modulated Poisson process: state i emits at rates[i] and lasts Exp(meanDwellSeconds[i]). */
    record Mmpp(List<Double> rates, List<Double> meanDwellSeconds) implements ArrivalSpec {
        public Mmpp {
            rates = List.copyOf(rates);
            meanDwellSeconds = List.copyOf(meanDwellSeconds);
        }

        public Mmpp scaled(double factor) {
            return new Mmpp(rates.stream().map(r -> r * factor).toList(), meanDwellSeconds);
        }
    }

    /** Sinusoidal rate: baseRate * (1 + amplitude * sin(2 pi t / periodSeconds)); amplitude in [0, 1]. */
    record Diurnal(double baseRate, double amplitude, double periodSeconds) implements ArrivalSpec {
        public Diurnal scaled(double factor) {
            return new Diurnal(baseRate * factor, amplitude, periodSeconds);
        }
    }

    /** Piecewise-constant rate: each phase's rate holds from its atSeconds until the next phase (steps and spikes). */
    record Step(List<Phase> phases) implements ArrivalSpec {
        public Step {
            phases = List.copyOf(phases);
        }

        public Step scaled(double factor) {
            return new Step(phases.stream().map(p -> new Phase(p.atSeconds(), p.rate() * factor)).toList());
        }
    }

    record Phase(double atSeconds, double rate) {
    }

    /**
     * Replay of a per-minute invocation trace (Azure Functions 2019 format), rescaled so that the replayed window
     * has mean rate {@code meanRate}; each trace minute lasts {@code secondsPerMinute} of run time (60 = real time,
     * less = compressed), starting at trace minute {@code startMinute} and wrapping around at the end of the trace.
     */
    record Trace(TraceFile trace, double meanRate, double secondsPerMinute, int startMinute) implements ArrivalSpec {
        public Trace scaled(double factor) {
            return new Trace(trace, meanRate * factor, secondsPerMinute, startMinute);
        }
    }
}
