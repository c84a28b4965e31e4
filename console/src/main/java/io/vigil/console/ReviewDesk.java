package io.vigil.console;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditLog;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.ReviewVerdict;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Takes reviewers' decisions: checks them against the review policy, writes them to the reviews
 * topic (the record of truth), audits them, and shows them on the board at once.
 */
public final class ReviewDesk {
    /** A decision the policy refuses (the HTTP API answers 409 with the reason). */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }

    private final AlertBoard board;
    private final Consumer<ReviewDecision> reviews;
    private final AuditLog audit;
    private final Clock clock;

    /**
     * @param reviews writes a decision durably (the reviews topic) before returning
     */
    public ReviewDesk(
            AlertBoard board, Consumer<ReviewDecision> reviews, AuditLog audit, Clock clock) {
        this.board = board;
        this.reviews = reviews;
        this.audit = audit;
        this.clock = clock;
    }

    /** Serialised, so two reviewers of one alert are checked one after the other. */
    public synchronized ReviewStatus decide(
            String alertId, String reviewer, ReviewVerdict verdict, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a review decision needs a reason");
        }
        AlertBoard.Entry e =
                board.get(alertId)
                        .orElseThrow(() -> new IllegalArgumentException("no alert " + alertId));
        board.policy()
                .refusal(e.decisions(), reviewer)
                .ifPresent(
                        r -> {
                            throw new Refused(r);
                        });
        ReviewDecision d =
                ReviewDecision.newBuilder()
                        .setDecisionId(UUID.randomUUID().toString())
                        .setAlertId(alertId)
                        .setCameraId(e.alert().getCameraId())
                        .setWatchlistEntryId(e.alert().getWatchlistEntryId())
                        .setReviewer(reviewer)
                        .setDecision(verdict)
                        .setReason(reason)
                        .setDecidedAt(clock.instant())
                        .build();
        List<ReviewDecision> withThis = new java.util.ArrayList<>(e.decisions());
        withThis.add(d);
        ReviewStatus after = board.policy().status(withThis);
        // Audited first: a decision that cannot be recorded is not taken.
        audit.record(
                AuditEvents.event(AuditEventType.REVIEW_DECISION, reviewer, d.getDecidedAt())
                        .setAlertId(alertId)
                        .setCameraId(d.getCameraId())
                        .setWatchlistEntryId(d.getWatchlistEntryId())
                        .setExternalId(e.alert().getExternalId())
                        .setReason(reason)
                        .setDetails(
                                AuditEvents.details(
                                        "decision",
                                        verdict,
                                        "decisionId",
                                        d.getDecisionId(),
                                        "statusAfter",
                                        after,
                                        "confirmationsRequired",
                                        board.policy().confirmationsRequired()))
                        .build());
        reviews.accept(d);
        board.onDecision(d);
        return after;
    }
}
