package io.vigil.console;

import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.ReviewVerdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How review decisions settle an alert. An alert is PENDING until {@code confirmationsRequired}
 * different reviewers confirm it (CONFIRMED) or one reviewer rejects it (REJECTED). A reviewer
 * decides once per alert, and a settled alert takes no more decisions. The status is a fold over
 * the decisions in topic order, so it can be rebuilt from the reviews topic at any time.
 */
public final class ReviewPolicy {
    private final int confirmationsRequired;

    public ReviewPolicy(int confirmationsRequired) {
        if (confirmationsRequired < 1) {
            throw new IllegalArgumentException("at least one confirmation is required");
        }
        this.confirmationsRequired = confirmationsRequired;
    }

    public int confirmationsRequired() {
        return confirmationsRequired;
    }

    /** The decisions that count (in order), leaving out any a settled alert could not take. */
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
        return statusOfEffective(effective(decisions));
    }

    /** Why a reviewer may not decide on an alert now, or empty when they may. */
    public Optional<String> refusal(List<ReviewDecision> decisions, String reviewer) {
        ReviewStatus s = statusOfEffective(decisions);
        if (s != ReviewStatus.PENDING) {
            return Optional.of("the alert is already " + s);
        }
        for (ReviewDecision d : decisions) {
            if (d.getReviewer().equals(reviewer)) {
                return Optional.of(
                        reviewer
                                + " already reviewed this alert; confirmation needs "
                                + confirmationsRequired
                                + " different reviewers");
            }
        }
        return Optional.empty();
    }

    private ReviewStatus statusOfEffective(List<ReviewDecision> effective) {
        Set<String> confirmers = new HashSet<>();
        for (ReviewDecision d : effective) {
            if (d.getDecision() == ReviewVerdict.REJECT) {
                return ReviewStatus.REJECTED;
            }
            confirmers.add(d.getReviewer());
        }
        return confirmers.size() >= confirmationsRequired
                ? ReviewStatus.CONFIRMED
                : ReviewStatus.PENDING;
    }
}
