package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraRegistrationStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a camera stands in its authorization window, as the console and its metrics show it. */
class CameraBoardTest {
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    final CameraBoard board =
            new CameraBoard(Duration.ofDays(14), Clock.fixed(NOW, ZoneOffset.UTC));

    static CameraRegistration camera(String id, String from, String until) {
        return CameraRegistration.newBuilder()
                .setCameraId(id)
                .setName(id)
                .setLocation("l")
                .setOwner("o")
                .setAuthorizationRef("ORDER-1")
                .setPurposes(List.of("missing persons"))
                .setAuthorizedFrom(Instant.parse(from))
                .setAuthorizedUntil(Instant.parse(until))
                .setStatus(CameraRegistrationStatus.ACTIVE)
                .setUpdatedBy("a")
                .setUpdatedAt(NOW)
                .setReason("r")
                .build();
    }

    @Test
    void eachCameraIsFlaggedBeforeItsAuthorizationEndsAndCounted() {
        CameraRegistration later = camera("later", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z");
        CameraRegistration fine = camera("fine", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
        CameraRegistration soon = camera("soon", "2026-01-01T00:00:00Z", "2026-12-10T12:00:00Z");
        CameraRegistration ended = camera("ended", "2026-01-01T00:00:00Z", NOW.toString());
        List.of(later, fine, soon, ended).forEach(board::onRegistration);

        assertThat(board.authorization(later)).isEqualTo(CameraBoard.Authorization.NOT_YET);
        assertThat(board.authorization(fine)).isEqualTo(CameraBoard.Authorization.AUTHORIZED);
        assertThat(board.authorization(soon)).isEqualTo(CameraBoard.Authorization.ENDING_SOON);
        assertThat(board.authorization(ended))
                .as("the end is exclusive")
                .isEqualTo(CameraBoard.Authorization.ENDED);
        assertThat(board.authorizationDaysLeft())
                .containsEntry("camera=\"soon\"", 11.0)
                .containsEntry("camera=\"ended\"", 0.0);
        assertThat(board.authorizationCounts())
                .containsEntry("state=\"NOT_YET\"", 1.0)
                .containsEntry("state=\"AUTHORIZED\"", 1.0)
                .containsEntry("state=\"ENDING_SOON\"", 1.0)
                .containsEntry("state=\"ENDED\"", 1.0);
    }
}
