/**
 * Autoscaling decisions, as pure functions and small explicitly-stateful classes: the control loop (in {@code app})
 * measures each model every period, feeds a {@link dev.stratus.core.autoscaling.LoadForecaster}, asks a
 * {@link dev.stratus.core.autoscaling.ReplanRule} whether to re-plan, sizes the warm pool with
 * {@link dev.stratus.core.autoscaling.WarmPoolPolicy}, splits a scale-up into warm promotions and cold starts with
 * {@link dev.stratus.core.autoscaling.Promotion}, and records every step in an
 * {@link dev.stratus.core.autoscaling.EventLog}. Nothing here reads a clock: every time is a parameter, in epoch
 * (or any monotonic) milliseconds. See docs/autoscaling.md.
 */
package dev.stratus.core.autoscaling;
