package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.ReviewCategory;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.ReviewVerdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewPolicyTest {
    static int n;

    static ReviewCategory categoryOf(ReviewVerdict v) {
        return switch (v) {
            case CONFIRM -> ReviewCategory.SAME_PERSON;
            case REJECT -> ReviewCategory.DIFFERENT_PERSON;
            case ABSTAIN -> ReviewCategory.IMAGE_TOO_POOR;
        };
    }

    static ReviewDecision d(String reviewer, ReviewVerdict v) {
        return ReviewDecision.newBuilder()
                .setDecisionId("d" + n++)
                .setAlertId("a1")
                .setCameraId("cam")
                .setWatchlistEntryId("e")
                .setReviewer(reviewer)
                .setDecision(v)
                .setCategory(categoryOf(v))
                .setReason("r")
                .setDecidedAt(Instant.EPOCH.plusSeconds(n))
                .build();
    }

    @Test
    void twoAgreeingReviewersSettleAndRepeatsOrLateDecisionsDoNotCount() {
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
        assertThat(p.settlement(ds))
                .hasValueSatisfying(
                        s -> {
                            assertThat(s.settledBy()).isEqualTo("bob");
                            assertThat(s.adjudicated()).isFalse();
                        });
        assertThat(p.effective(ds))
                .extracting(ReviewDecision::getReviewer)
                .containsExactly("ann", "bob");
        ds.add(d("cat", ReviewVerdict.REJECT)); // after settlement: ignored
        assertThat(p.status(ds)).isEqualTo(ReviewStatus.CONFIRMED);
        assertThat(p.refusal(p.effective(ds), "cat"))
                .hasValueSatisfying(r -> assertThat(r).contains("CONFIRMED"));

        assertThat(
                        p.status(
                                List.of(
                                        d("ann", ReviewVerdict.REJECT),
                                        d("bob", ReviewVerdict.REJECT))))
                .isEqualTo(ReviewStatus.REJECTED);
        assertThat(new ReviewPolicy(1).status(List.of(d("ann", ReviewVerdict.CONFIRM))))
                .isEqualTo(ReviewStatus.CONFIRMED);
    }

    @Test
    void disagreementGoesToAdjudicationWhichANewReviewerSettles() {
        ReviewPolicy p = new ReviewPolicy(2);
        List<ReviewDecision> ds = new ArrayList<>();
        ds.add(d("ann", ReviewVerdict.REJECT));
        assertThat(p.status(ds))
                .as("one rejection no longer settles")
                .isEqualTo(ReviewStatus.PENDING);
        ds.add(d("bob", ReviewVerdict.CONFIRM));
        assertThat(p.status(ds)).isEqualTo(ReviewStatus.ADJUDICATION);
        assertThat(p.settlement(ds)).isEmpty();
        assertThat(p.refusal(ds, "ann"))
                .hasValueSatisfying(r -> assertThat(r).contains("disagreed"));
        assertThat(p.refusal(ds, "bob")).isPresent();
        assertThat(p.refusal(ds, "admin")).isEmpty();
        ds.add(d("ann", ReviewVerdict.CONFIRM)); // a participant cannot adjudicate
        assertThat(p.status(ds)).isEqualTo(ReviewStatus.ADJUDICATION);
        ds.add(d("cat", ReviewVerdict.ABSTAIN)); // too poor to decide: still in adjudication
        assertThat(p.status(ds)).isEqualTo(ReviewStatus.ADJUDICATION);
        ds.add(d("admin", ReviewVerdict.REJECT));
        assertThat(p.status(ds)).isEqualTo(ReviewStatus.REJECTED);
        assertThat(p.settlement(ds))
                .hasValueSatisfying(
                        s -> {
                            assertThat(s.settledBy()).isEqualTo("admin");
                            assertThat(s.adjudicated()).isTrue();
                        });
        assertThat(p.effective(ds))
                .extracting(ReviewDecision::getReviewer)
                .containsExactly("ann", "bob", "cat", "admin");
    }

    @Test
    void tooPoorToDecideCountsAsNeither() {
        ReviewPolicy p = new ReviewPolicy(2);
        List<ReviewDecision> ds = new ArrayList<>();
        ds.add(d("ann", ReviewVerdict.ABSTAIN));
        ds.add(d("bob", ReviewVerdict.CONFIRM));
        assertThat(p.status(ds)).isEqualTo(ReviewStatus.PENDING);
        assertThat(p.refusal(ds, "ann")).isPresent();
        ds.add(d("cat", ReviewVerdict.CONFIRM));
        assertThat(p.status(ds)).isEqualTo(ReviewStatus.CONFIRMED);
    }

    @Test
    void categoriesMustFitTheVerdict() {
        ReviewPolicy.check(ReviewVerdict.CONFIRM, ReviewCategory.OTHER);
        ReviewPolicy.check(ReviewVerdict.REJECT, ReviewCategory.DIFFERENT_PERSON);
        ReviewPolicy.check(ReviewVerdict.ABSTAIN, ReviewCategory.IMAGE_TOO_POOR);
        assertThatThrownBy(
                        () ->
                                ReviewPolicy.check(
                                        ReviewVerdict.CONFIRM, ReviewCategory.DIFFERENT_PERSON))
                .hasMessageContaining("DIFFERENT_PERSON");
        assertThatThrownBy(
                        () -> ReviewPolicy.check(ReviewVerdict.REJECT, ReviewCategory.SAME_PERSON))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReviewPolicy.check(ReviewVerdict.ABSTAIN, ReviewCategory.OTHER))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
