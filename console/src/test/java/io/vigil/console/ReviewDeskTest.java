package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.ReviewCategory;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.ReviewVerdict;
import io.vigil.schemas.SettledAlert;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A review decision is audited before it is published or shown; settling publishes the alert. */
class ReviewDeskTest {

    private record Written(ReviewDecision decision, Optional<SettledAlert> settled) {}

    @Test
    void aDecisionThatCannotBeAuditedIsNotTaken() {
        AlertBoard board = new AlertBoard(new ReviewPolicy(2));
        board.onAlert(ConsoleServerTest.alert("alert-1", 0));
        List<Written> published = new ArrayList<>();
        ReviewDesk failing =
                new ReviewDesk(
                        board,
                        (d, s) -> published.add(new Written(d, s)),
                        e -> {
                            throw new IllegalStateException("audit topic unreachable");
                        },
                        Clock.systemUTC());
        assertThatThrownBy(
                        () ->
                                failing.decide(
                                        "alert-1",
                                        "rita",
                                        ReviewVerdict.CONFIRM,
                                        ReviewCategory.SAME_PERSON,
                                        "it is him"))
                .hasMessageContaining("audit topic");
        assertThat(published).isEmpty();
        assertThat(board.get("alert-1").orElseThrow().decisions()).isEmpty();

        List<AuditEvent> audit = new ArrayList<>();
        ReviewDesk desk =
                new ReviewDesk(
                        board,
                        (d, s) -> published.add(new Written(d, s)),
                        audit::add,
                        Clock.systemUTC());
        assertThat(
                        desk.decide(
                                "alert-1",
                                "rita",
                                ReviewVerdict.CONFIRM,
                                ReviewCategory.SAME_PERSON,
                                "it is him"))
                .isEqualTo(ReviewStatus.PENDING);
        assertThat(published.get(0).settled()).isEmpty();
        assertThat(
                        desk.decide(
                                "alert-1",
                                "rob",
                                ReviewVerdict.CONFIRM,
                                ReviewCategory.OTHER,
                                "agreed, tattoo visible"))
                .isEqualTo(ReviewStatus.CONFIRMED);
        assertThat(published).hasSize(2);
        SettledAlert settled = published.get(1).settled().orElseThrow();
        assertThat(settled.getOutcome()).isEqualTo(ReviewStatus.CONFIRMED);
        assertThat(settled.getSettledBy()).isEqualTo("rob");
        assertThat(settled.getDecisions())
                .extracting(ReviewDecision::getReviewer)
                .containsExactly("rita", "rob");
        assertThat(settled.getAlert().getFaceCrop()).isNotNull();
        assertThat(audit).hasSize(2);
        assertThat(audit.get(1).getDetails())
                .containsEntry("statusAfter", "CONFIRMED")
                .containsEntry("category", "OTHER");
    }

    @Test
    void anAdjudicatedRejectionLeavesWithoutTheFaceAndMismatchedCategoriesAreRefused() {
        AlertBoard board = new AlertBoard(new ReviewPolicy(2));
        board.onAlert(ConsoleServerTest.alert("alert-2", 0));
        List<Written> published = new ArrayList<>();
        ReviewDesk desk =
                new ReviewDesk(
                        board,
                        (d, s) -> published.add(new Written(d, s)),
                        e -> {},
                        Clock.systemUTC());
        assertThatThrownBy(
                        () ->
                                desk.decide(
                                        "alert-2",
                                        "rita",
                                        ReviewVerdict.CONFIRM,
                                        ReviewCategory.DIFFERENT_PERSON,
                                        "?"))
                .isInstanceOf(IllegalArgumentException.class);
        desk.decide("alert-2", "rita", ReviewVerdict.REJECT, ReviewCategory.DIFFERENT_PERSON, "no");
        assertThat(
                        desk.decide(
                                "alert-2",
                                "rob",
                                ReviewVerdict.CONFIRM,
                                ReviewCategory.SAME_PERSON,
                                "yes"))
                .isEqualTo(ReviewStatus.ADJUDICATION);
        assertThatThrownBy(
                        () ->
                                desk.decide(
                                        "alert-2",
                                        "rob",
                                        ReviewVerdict.REJECT,
                                        ReviewCategory.OTHER,
                                        "changed my mind"))
                .isInstanceOf(ReviewDesk.Refused.class);
        assertThat(
                        desk.decide(
                                "alert-2",
                                "ada",
                                ReviewVerdict.REJECT,
                                ReviewCategory.DIFFERENT_PERSON,
                                "ears differ"))
                .isEqualTo(ReviewStatus.REJECTED);
        SettledAlert settled = published.get(2).settled().orElseThrow();
        assertThat(settled.getAdjudicated()).isTrue();
        assertThat(settled.getSettledBy()).isEqualTo("ada");
        assertThat(settled.getDecisions()).hasSize(3);
        assertThat(settled.getAlert().getFaceCrop()).isNull();
        assertThat(settled.getAlert().getReviewStatus()).isEqualTo(ReviewStatus.REJECTED);
    }
}
