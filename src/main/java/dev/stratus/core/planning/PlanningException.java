package dev.stratus.core.planning;

/**
 * No plan can meet the request. The message names the model (or pipeline, or pool) and the tightest constraint,
 * e.g. {@code model ocr-det: SLO 5 ms is below l(1)=12.3 ms + RTT 2 ms on every allowed pool}.
 */
public class PlanningException extends RuntimeException {
    private final String subject;

    public PlanningException(String subject, String message) {
        super(subject + ": " + message);
        this.subject = subject;
    }

    /** What could not be planned, e.g. {@code model ocr-det} or {@code pipeline ocr}. */
    public String subject() {
        return subject;
    }
}
