package io.vigil.console;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditLog;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.ReviewCategory;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.ReviewVerdict;
import io.vigil.schemas.SettledAlert;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Takes reviewers' decisions: checks them against the review policy, audits them, writes them to
 * the reviews topic (the record of truth) together with the settled alert when the decision settles
 * one, and shows them on the board at once.
 */
public final class ReviewDesk {
    /** A decision the policy refuses (the HTTP API answers 409 with the reason). */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }

    /** Where decisions go: durably, and atomically with the settled alert when there is one. */
    @FunctionalInterface
    public interface ReviewLog {
        void write(ReviewDecision decision, Optional<SettledAlert> settled);
    }

    private final AlertBoard board;
    private final ReviewLog reviews;
    private final AuditLog audit;
    private final Clock clock;

    public ReviewDesk(AlertBoard board, ReviewLog reviews, AuditLog audit, Clock clock) {
        this.board = board;
        this.reviews = reviews;
        this.audit = audit;
        this.clock = clock;
    }

    /** Serialised, so two reviewers of one alert are checked one after the other. */
    public synchronized ReviewStatus decide(
            String alertId,
            String reviewer,
            ReviewVerdict verdict,
            ReviewCategory category,
            String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a review decision needs a reason");
        }
        ReviewPolicy.check(verdict, category);
        AlertBoard.Entry e =
                board.get(alertId)
                        .orElseThrow(() -> new IllegalArgumentException("no alert " + alertId));
        ReviewPolicy policy = board.policy();
        policy.refusal(e.decisions(), reviewer)
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
                        .setCategory(category)
                        .setReason(reason)
                        .setDecidedAt(clock.instant())
                        .build();
        List<ReviewDecision> withThis = new ArrayList<>(e.decisions());
        withThis.add(d);
        ReviewStatus after = policy.status(withThis);
        Optional<ReviewPolicy.Settlement> settlement = policy.settlement(withThis);
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
                                        "category",
                                        category,
                                        "decisionId",
                                        d.getDecisionId(),
                                        "statusAfter",
                                        after,
                                        "adjudication",
                                        e.status() == ReviewStatus.ADJUDICATION,
                                        "reviewersRequired",
                                        policy.confirmationsRequired()))
                        .build());
        reviews.write(d, settlement.map(s -> settled(e.alert(), policy.effective(withThis), s)));
        board.onDecision(d);
        return after;
    }

    /**
     * The record downstream systems act on. Only a confirmed alert carries images of the face: any
     * other outcome leaves without the best frame's crop and without the supporting frames, since
     * the reviewers did not find the face to be the watchlist's person, and a face that is no match
     * must not leave the operator chain.
     */
    static SettledAlert settled(
            Alert alert, List<ReviewDecision> decisions, ReviewPolicy.Settlement s) {
        Alert shown = Alert.newBuilder(alert).build();
        if (s.outcome() != ReviewStatus.CONFIRMED) {
            shown.setFaceCrop(null);
            shown.setSupporting(List.of());
        }
        shown.setReviewStatus(s.outcome());
        return SettledAlert.newBuilder()
                .setAlertId(alert.getAlertId())
                .setOutcome(s.outcome())
                .setSettledAt(s.settledAt())
                .setSettledBy(s.settledBy())
                .setAdjudicated(s.adjudicated())
                .setDecisions(decisions)
                .setAlert(shown)
                .build();
    }
}
