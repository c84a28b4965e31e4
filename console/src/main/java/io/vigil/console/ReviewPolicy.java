package io.vigil.console;

import io.vigil.schemas.ReviewCategory;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.ReviewVerdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How review decisions settle an alert, as a fold over its decisions in topic order (so the status
 * can be rebuilt from the reviews topic at any time):
 *
 * <ul>
 *   <li>PENDING until {@code reviewersRequired} different reviewers have confirmed or rejected it;
 *       a reviewer who finds the image too poor to decide (ABSTAIN) counts as neither, and has had
 *       their say.
 *   <li>Then CONFIRMED when they all confirmed, REJECTED when they all rejected, and ADJUDICATION
 *       when they disagree: the next confirm or reject, by someone who has not yet decided on the
 *       alert (a further reviewer or an admin), settles it.
 * </ul>
 *
 * A reviewer decides once per alert, and a settled alert takes no more decisions.
 */
public final class ReviewPolicy {
    private final int reviewersRequired;

    /** How a settled alert was settled. */
    public record Settlement(
            ReviewStatus outcome, String settledBy, Instant settledAt, boolean adjudicated) {}

    public ReviewPolicy(int reviewersRequired) {
        if (reviewersRequired < 1) {
            throw new IllegalArgumentException("at least one reviewer is required");
        }
        this.reviewersRequired = reviewersRequired;
    }

    public int confirmationsRequired() {
        return reviewersRequired;
    }

    /**
     * Whether a verdict may carry a category.
     *
     * @throws IllegalArgumentException naming the pair when it may not
     */
    public static void check(ReviewVerdict verdict, ReviewCategory category) {
        boolean ok =
                switch (verdict) {
                    case CONFIRM ->
                            category == ReviewCategory.SAME_PERSON
                                    || category == ReviewCategory.OTHER;
                    case REJECT ->
                            category == ReviewCategory.DIFFERENT_PERSON
                                    || category == ReviewCategory.OTHER;
                    case ABSTAIN -> category == ReviewCategory.IMAGE_TOO_POOR;
                };
        if (!ok) {
            throw new IllegalArgumentException(
                    "a " + verdict + " decision cannot have the reason category " + category);
        }
    }

    /** The decisions that count (in order), leaving out any the policy would have refused. */
    public List<ReviewDecision> effective(List<ReviewDecision> decisions) {
        List<ReviewDecision> out = new ArrayList<>();
        for (ReviewDecision d : decisions) {
            if (refusal(out, d.getReviewer()).isEmpty()) {
                out.add(d);
            }
        }
        return out;
    }

    public ReviewStatus status(List<ReviewDecision> decisions) {
        return fold(effective(decisions)).status;
    }

    /** How the alert was settled, or empty while it is not. */
    public Optional<Settlement> settlement(List<ReviewDecision> decisions) {
        return Optional.ofNullable(fold(effective(decisions)).settlement);
    }

    /** Why a reviewer may not decide on an alert now, or empty when they may. */
    public Optional<String> refusal(List<ReviewDecision> decisions, String reviewer) {
        ReviewStatus s = fold(decisions).status;
        if (s == ReviewStatus.CONFIRMED || s == ReviewStatus.REJECTED) {
            return Optional.of("the alert is already " + s);
        }
        for (ReviewDecision d : decisions) {
            if (d.getReviewer().equals(reviewer)) {
                return Optional.of(
                        reviewer
                                + " already reviewed this alert; "
                                + (s == ReviewStatus.ADJUDICATION
                                        ? "the reviewers disagreed, and someone who has not"
                                                + " decided on it settles it"
                                        : "it needs "
                                                + reviewersRequired
                                                + " different reviewers"));
            }
        }
        return Optional.empty();
    }

    private record Fold(ReviewStatus status, Settlement settlement) {}

    private Fold fold(List<ReviewDecision> effective) {
        int confirms = 0;
        int rejects = 0;
        boolean adjudication = false;
        Set<String> seen = new HashSet<>();
        for (ReviewDecision d : effective) {
            seen.add(d.getReviewer());
            if (d.getDecision() == ReviewVerdict.ABSTAIN) {
                continue;
            }
            boolean confirm = d.getDecision() == ReviewVerdict.CONFIRM;
            if (adjudication) {
                return settled(confirm, d, true);
            }
            if (confirm) {
                confirms++;
            } else {
                rejects++;
            }
            if (confirms + rejects == reviewersRequired) {
                if (confirms == 0 || rejects == 0) {
                    return settled(confirm, d, false);
                }
                adjudication = true;
            }
        }
        return new Fold(adjudication ? ReviewStatus.ADJUDICATION : ReviewStatus.PENDING, null);
    }

    private static Fold settled(boolean confirm, ReviewDecision d, boolean adjudicated) {
        ReviewStatus s = confirm ? ReviewStatus.CONFIRMED : ReviewStatus.REJECTED;
        return new Fold(s, new Settlement(s, d.getReviewer(), d.getDecidedAt(), adjudicated));
    }
}
