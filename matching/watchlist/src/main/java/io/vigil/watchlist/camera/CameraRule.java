package io.vigil.watchlist.camera;

import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraRegistrationStatus;
import java.io.Serializable;

/**
 * What the job needs of a registration: whether frames may be processed, when (the authorization
 * window, {@code authorizedFrom} inclusive to {@code authorizedUntil} exclusive), and where.
 */
public record CameraRule(
        String cameraId,
        boolean active,
        long updatedAt,
        long authorizedFrom,
        long authorizedUntil,
        Regions regions)
        implements Serializable {

    public static CameraRule of(CameraRegistration r) {
        return new CameraRule(
                r.getCameraId(),
                r.getStatus() == CameraRegistrationStatus.ACTIVE,
                r.getUpdatedAt().toEpochMilli(),
                r.getAuthorizedFrom().toEpochMilli(),
                r.getAuthorizedUntil().toEpochMilli(),
                Regions.of(r.getRegionsOfInterest()));
    }

    /** Whether the authorization covers the instant {@code t} (epoch millis). */
    public boolean authorizedAt(long t) {
        return t >= authorizedFrom && t < authorizedUntil;
    }

    /** The newer of two rules for one camera; either may be null. */
    public static CameraRule newer(CameraRule a, CameraRule b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.updatedAt > a.updatedAt ? b : a;
    }
}
