package io.vigil.console;

import static io.vigil.console.ReviewPolicyTest.d;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewVerdict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewStatsTest {

    private static AlertBoard board(String... alertIds) {
        AlertBoard b = new AlertBoard(new ReviewPolicy(2));
        for (String id : alertIds) {
            b.onAlert(ConsoleServerTest.alert(id, 0));
        }
        return b;
    }

    private static void decide(AlertBoard b, String alert, String who, ReviewVerdict v) {
        ReviewDecision x = d(who, v);
        x.setAlertId(alert);
        x.setDecidedAt(Instant.parse("2026-11-22T10:05:00Z"));
        b.onDecision(x);
    }

    @Test
    void agreementCountsOnlyDecisionsOnSettledAlertsAndRatesAreRejectedOfSettled() {
        AlertBoard b = board("a1", "a2", "a3");
        // a1: both confirm; a2: split, adjudicated as rejected; a3: one decision, still pending.
        decide(b, "a1", "ann", ReviewVerdict.CONFIRM);
        decide(b, "a1", "bob", ReviewVerdict.CONFIRM);
        decide(b, "a2", "ann", ReviewVerdict.CONFIRM);
        decide(b, "a2", "bob", ReviewVerdict.REJECT);
        decide(b, "a2", "cat", ReviewVerdict.REJECT);
        decide(b, "a3", "ann", ReviewVerdict.ABSTAIN);

        ReviewStats.Report r = ReviewStats.of(b.list());
        ReviewStats.Reviewer ann = r.reviewers().get(0);
        assertThat(ann.name()).isEqualTo("ann");
        assertThat(ann.decisions()).isEqualTo(3);
        assertThat(ann.abstentions()).isEqualTo(1);
        assertThat(ann.onSettled()).isEqualTo(2);
        assertThat(ann.agreed()).isEqualTo(1);
        assertThat(ann.agreement()).hasValue(0.5);
        assertThat(ann.medianTimeToDecide()).isEqualTo(java.time.Duration.ofMinutes(5));
        ReviewStats.Reviewer bob = r.reviewers().get(1);
        assertThat(bob.agreement()).hasValue(1.0);
        assertThat(r.cameras())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.raised()).isEqualTo(3);
                            assertThat(c.confirmed()).isEqualTo(1);
                            assertThat(c.rejected()).isEqualTo(1);
                            assertThat(c.waiting()).isEqualTo(1);
                            assertThat(c.observedFalseAlertRate()).hasValue(0.5);
                        });
        assertThat(ReviewStats.of(board("x").list()).cameras().get(0).observedFalseAlertRate())
                .isEmpty();
        assertThat(ReviewStats.of(List.of()).reviewers()).isEmpty();
    }
}
