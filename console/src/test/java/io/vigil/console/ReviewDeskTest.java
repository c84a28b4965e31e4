package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.ReviewVerdict;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A review decision is audited before it is published or shown. */
class ReviewDeskTest {

    @Test
    void aDecisionThatCannotBeAuditedIsNotTaken() {
        AlertBoard board = new AlertBoard(new ReviewPolicy(2));
        board.onAlert(ConsoleServerTest.alert("alert-1", 0));
        List<ReviewDecision> published = new ArrayList<>();
        ReviewDesk failing =
                new ReviewDesk(
                        board,
                        published::add,
                        e -> {
                            throw new IllegalStateException("audit topic unreachable");
                        },
                        Clock.systemUTC());
        assertThatThrownBy(
                        () -> failing.decide("alert-1", "rita", ReviewVerdict.CONFIRM, "it is him"))
                .hasMessageContaining("audit topic");
        assertThat(published).isEmpty();
        assertThat(board.get("alert-1").orElseThrow().decisions()).isEmpty();

        List<AuditEvent> audit = new ArrayList<>();
        ReviewDesk desk = new ReviewDesk(board, published::add, audit::add, Clock.systemUTC());
        assertThat(desk.decide("alert-1", "rita", ReviewVerdict.CONFIRM, "it is him"))
                .isEqualTo(ReviewStatus.PENDING);
        assertThat(desk.decide("alert-1", "rob", ReviewVerdict.CONFIRM, "agreed"))
                .isEqualTo(ReviewStatus.CONFIRMED);
        assertThat(published).hasSize(2);
        assertThat(audit).hasSize(2);
        assertThat(audit.get(1).getDetails()).containsEntry("statusAfter", "CONFIRMED");
    }
}
