package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.ReviewCategory;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.ReviewVerdict;
import io.vigil.schemas.SettledAlert;
import io.vigil.schemas.SupportingFace;
import java.nio.ByteBuffer;
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
        board.onAlert(withSupportingFaces(ConsoleServerTest.alert("alert-1", 0)));
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
        assertThat(settled.getAlert().getSupporting()).hasSize(2);
        assertThat(holdsJpeg(settled)).isTrue();
        assertThat(audit).hasSize(2);
        assertThat(audit.get(1).getDetails())
                .containsEntry("statusAfter", "CONFIRMED")
                .containsEntry("category", "OTHER");
    }

    @Test
    void anAdjudicatedRejectionLeavesWithoutTheFaceAndMismatchedCategoriesAreRefused() {
        AlertBoard board = new AlertBoard(new ReviewPolicy(2));
        board.onAlert(withSupportingFaces(ConsoleServerTest.alert("alert-2", 0)));
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
        assertThat(settled.getAlert().getSupporting()).isEmpty();
        assertThat(holdsJpeg(settled)).as("any image of the rejected face").isFalse();
        assertThat(settled.getAlert().getReviewStatus()).isEqualTo(ReviewStatus.REJECTED);
        // The board keeps the alert as the reviewers saw it.
        assertThat(board.get("alert-2").orElseThrow().alert().getSupporting()).hasSize(2);
    }

    @Test
    void aRejectionWithAnAbstentionLeavesWithoutAnyImage() {
        AlertBoard board = new AlertBoard(new ReviewPolicy(2));
        board.onAlert(withSupportingFaces(ConsoleServerTest.alert("alert-3", 0)));
        List<Written> published = new ArrayList<>();
        ReviewDesk desk =
                new ReviewDesk(
                        board,
                        (d, s) -> published.add(new Written(d, s)),
                        e -> {},
                        Clock.systemUTC());
        desk.decide(
                "alert-3", "rita", ReviewVerdict.ABSTAIN, ReviewCategory.IMAGE_TOO_POOR, "blur");
        desk.decide("alert-3", "rob", ReviewVerdict.REJECT, ReviewCategory.OTHER, "not him");
        assertThat(
                        desk.decide(
                                "alert-3",
                                "ada",
                                ReviewVerdict.REJECT,
                                ReviewCategory.DIFFERENT_PERSON,
                                "chin differs"))
                .isEqualTo(ReviewStatus.REJECTED);
        SettledAlert settled = published.get(2).settled().orElseThrow();
        assertThat(settled.getAlert().getFaceCrop()).isNull();
        assertThat(settled.getAlert().getSupporting()).isEmpty();
        assertThat(holdsJpeg(settled)).isFalse();
    }

    /** Two more matching frames of the track, each with its crop, as the job sends them. */
    static Alert withSupportingFaces(Alert a) {
        List<SupportingFace> more = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            more.add(
                    SupportingFace.newBuilder()
                            .setFrameSequence(10 + i)
                            .setCaptureTimestamp(a.getCaptureTimestamp())
                            .setQuality(0.7f)
                            .setSimilarity(0.6f)
                            .setMatchedFaceId("face-1")
                            .setFaceCrop(
                                    ByteBuffer.wrap(
                                            new byte[] {
                                                (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) i
                                            }))
                            .build());
        }
        return Alert.newBuilder(a).setSupporting(more).build();
    }

    /** Whether the record as written to the topic holds a JPEG start of image anywhere. */
    private static boolean holdsJpeg(SettledAlert s) {
        byte[] b;
        try {
            ByteBuffer buf = s.toByteBuffer();
            b = new byte[buf.remaining()];
            buf.get(b);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int i = 0; i + 2 < b.length; i++) {
            if (b[i] == (byte) 0xFF && b[i + 1] == (byte) 0xD8 && b[i + 2] == (byte) 0xFF) {
                return true;
            }
        }
        return false;
    }
}
