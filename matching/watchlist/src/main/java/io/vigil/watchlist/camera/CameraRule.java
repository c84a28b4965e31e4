package io.vigil.watchlist.camera;

import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraRegistrationStatus;
import java.io.Serializable;
import java.util.List;

/**
 * What the job needs of a registration: whether frames may be processed, when (the authorization
 * window, {@code authorizedFrom} inclusive to {@code authorizedUntil} exclusive), for what (the
 * authorized purposes: only entries enrolled for one of them are searched), and where.
 */
public record CameraRule(
        String cameraId,
        boolean active,
        long updatedAt,
        long authorizedFrom,
        long authorizedUntil,
        List<String> purposes,
        Regions regions)
        implements Serializable {

    public static CameraRule of(CameraRegistration r) {
        return new CameraRule(
                r.getCameraId(),
                r.getStatus() == CameraRegistrationStatus.ACTIVE,
                r.getUpdatedAt().toEpochMilli(),
                r.getAuthorizedFrom().toEpochMilli(),
                r.getAuthorizedUntil().toEpochMilli(),
                List.copyOf(r.getPurposes()),
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
