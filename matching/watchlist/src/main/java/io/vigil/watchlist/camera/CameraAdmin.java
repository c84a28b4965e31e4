package io.vigil.watchlist.camera;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditLog;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraRegistrationStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Registers, changes, suspends and resumes cameras. Every change is stored in the registry and
 * audited with its actor and reason; the running job applies it from the registry topic.
 */
public final class CameraAdmin {
    private final CameraStore store;
    private final AuditLog audit;
    private final Clock clock;

    public CameraAdmin(CameraStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /** All registrations, by camera id. */
    public List<CameraRegistration> list() {
        List<CameraRegistration> all = new ArrayList<>(store.all().values());
        all.sort(Comparator.comparing(CameraRegistration::getCameraId));
        return all;
    }

    /**
     * Registers new cameras and applies changes to known ones; an unchanged camera is left alone.
     * Returns the number of cameras stored.
     */
    public int register(List<CameraRegistration> cameras) {
        var existing = store.all();
        int changed = 0;
        for (CameraRegistration c : cameras) {
            CameraRegistration old = existing.get(c.getCameraId());
            if (old != null && sameContent(old, c)) {
                continue;
            }
            AuditEventType type;
            if (old == null) {
                type = AuditEventType.CAMERA_REGISTERED;
            } else if (old.getStatus() != c.getStatus()) {
                type =
                        c.getStatus() == CameraRegistrationStatus.SUSPENDED
                                ? AuditEventType.CAMERA_SUSPENDED
                                : AuditEventType.CAMERA_RESUMED;
            } else {
                type = AuditEventType.CAMERA_CHANGED;
            }
            // Audited first: a change that cannot be recorded is not made.
            audit(type, c);
            store.put(c);
            changed++;
        }
        return changed;
    }

    public CameraRegistration suspend(String cameraId, String actor, String reason) {
        return setStatus(cameraId, CameraRegistrationStatus.SUSPENDED, actor, reason);
    }

    public CameraRegistration resume(String cameraId, String actor, String reason) {
        return setStatus(cameraId, CameraRegistrationStatus.ACTIVE, actor, reason);
    }

    private CameraRegistration setStatus(
            String cameraId, CameraRegistrationStatus status, String actor, String reason) {
        requireText(actor, "actor");
        requireText(reason, "reason");
        CameraRegistration old = store.all().get(cameraId);
        if (old == null) {
            throw new IllegalArgumentException("camera '" + cameraId + "' is not registered");
        }
        if (old.getStatus() == status) {
            return old;
        }
        if (status == CameraRegistrationStatus.ACTIVE
                && CameraRegistryFile.isPlaceholder(old.getAuthorizationRef())) {
            throw new IllegalArgumentException(
                    "camera '"
                            + cameraId
                            + "' has a placeholder authorizationRef ("
                            + old.getAuthorizationRef()
                            + "); import it with its real authorization before resuming it");
        }
        CameraRegistration c =
                CameraRegistration.newBuilder(old)
                        .setStatus(status)
                        .setUpdatedBy(actor)
                        .setUpdatedAt(clock.instant())
                        .setReason(reason)
                        .build();
        audit(
                status == CameraRegistrationStatus.SUSPENDED
                        ? AuditEventType.CAMERA_SUSPENDED
                        : AuditEventType.CAMERA_RESUMED,
                c);
        store.put(c);
        return c;
    }

    private void audit(AuditEventType type, CameraRegistration c) {
        Instant at = c.getUpdatedAt();
        audit.record(
                AuditEvents.event(type, c.getUpdatedBy(), at)
                        .setCameraId(c.getCameraId())
                        .setReason(c.getReason())
                        .setDetails(
                                AuditEvents.details(
                                        "name", c.getName(),
                                        "location", c.getLocation(),
                                        "owner", c.getOwner(),
                                        "authorizationRef", c.getAuthorizationRef(),
                                        "purposes", String.join(",", c.getPurposes()),
                                        "authorizedFrom", c.getAuthorizedFrom(),
                                        "authorizedUntil", c.getAuthorizedUntil(),
                                        "status", c.getStatus(),
                                        "regionsOfInterest", c.getRegionsOfInterest().size()))
                        .build());
    }

    private static boolean sameContent(CameraRegistration a, CameraRegistration b) {
        return a.getName().equals(b.getName())
                && a.getLocation().equals(b.getLocation())
                && a.getOwner().equals(b.getOwner())
                && a.getAuthorizationRef().equals(b.getAuthorizationRef())
                && a.getPurposes().equals(b.getPurposes())
                && a.getAuthorizedFrom().equals(b.getAuthorizedFrom())
                && a.getAuthorizedUntil().equals(b.getAuthorizedUntil())
                && a.getStatus() == b.getStatus()
                && Objects.equals(a.getRegionsOfInterest(), b.getRegionsOfInterest());
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
