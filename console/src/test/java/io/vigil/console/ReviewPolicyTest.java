package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.ReviewVerdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewPolicyTest {
    static int n;

    static ReviewDecision d(String reviewer, ReviewVerdict v) {
        return ReviewDecision.newBuilder()
                .setDecisionId("d" + n++)
                .setAlertId("a1")
                .setCameraId("cam")
                .setWatchlistEntryId("e")
                .setReviewer(reviewer)
                .setDecision(v)
                .setReason("r")
                .setDecidedAt(Instant.EPOCH)
                .build();
    }

    @Test
    void twoDifferentReviewersConfirmAndOneRejectionRejects() {
        ReviewPolicy p = new ReviewPolicy(2);
        List<ReviewDecision> ds = new ArrayList<>();
        assertThat(p.status(ds)).isEqualTo(ReviewStatus.PENDING);
        ds.add(d("ann", ReviewVerdict.CONFIRM));
        assertThat(p.status(ds)).isEqualTo(ReviewStatus.PENDING);
        assertThat(p.refusal(ds, "ann")).hasValueSatisfying(r -> assertThat(r).contains("already"));
        assertThat(p.refusal(ds, "bob")).isEmpty();
        ds.add(d("ann", ReviewVerdict.CONFIRM)); // a second console raced; it does not count
        assertThat(p.status(ds)).isEqualTo(ReviewStatus.PENDING);
        ds.add(d("bob", ReviewVerdict.CONFIRM));
        assertThat(p.status(ds)).isEqualTo(ReviewStatus.CONFIRMED);
        assertThat(p.effective(ds))
                .extracting(ReviewDecision::getReviewer)
                .containsExactly("ann", "bob");
        ds.add(d("cat", ReviewVerdict.REJECT)); // after settlement: ignored
        assertThat(p.status(ds)).isEqualTo(ReviewStatus.CONFIRMED);
        assertThat(p.refusal(p.effective(ds), "cat"))
                .hasValueSatisfying(r -> assertThat(r).contains("CONFIRMED"));

        List<ReviewDecision> rejected =
                List.of(d("ann", ReviewVerdict.CONFIRM), d("bob", ReviewVerdict.REJECT));
        assertThat(p.status(rejected)).isEqualTo(ReviewStatus.REJECTED);
        assertThat(new ReviewPolicy(1).status(List.of(d("ann", ReviewVerdict.CONFIRM))))
                .isEqualTo(ReviewStatus.CONFIRMED);
    }
}
