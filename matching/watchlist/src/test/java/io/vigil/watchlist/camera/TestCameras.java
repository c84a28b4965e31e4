package io.vigil.watchlist.camera;

import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraRegistrationStatus;
import io.vigil.schemas.Point;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Registrations and an in-memory store for tests. */
public final class TestCameras {
    private TestCameras() {}

    public static CameraRegistration camera(
            String id, CameraRegistrationStatus status, long updatedAt, List<List<Point>> rois) {
        return CameraRegistration.newBuilder()
                .setCameraId(id)
                .setName("Camera " + id)
                .setLocation("Test street 1")
                .setOwner("City of Test")
                .setAuthorizationRef("ORDER-2026-001")
                .setPurposes(List.of("missing persons"))
                .setAuthorizedFrom(Instant.EPOCH)
                .setAuthorizedUntil(Instant.parse("2099-01-01T00:00:00Z"))
                .setStatus(status)
                .setRegionsOfInterest(rois)
                .setUpdatedBy("admin")
                .setUpdatedAt(Instant.ofEpochMilli(updatedAt))
                .setReason("test")
                .build();
    }

    /** An active camera authorized from {@code from} until {@code until} (epoch millis). */
    public static CameraRegistration authorized(String id, long updatedAt, long from, long until) {
        return CameraRegistration.newBuilder(active(id, updatedAt))
                .setAuthorizedFrom(Instant.ofEpochMilli(from))
                .setAuthorizedUntil(Instant.ofEpochMilli(until))
                .build();
    }

    public static CameraRegistration active(String id, long updatedAt) {
        return camera(id, CameraRegistrationStatus.ACTIVE, updatedAt, List.of());
    }

    /** A polygon from x,y pairs. */
    public static List<Point> polygon(float... xy) {
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) {
            out.add(new Point(xy[i], xy[i + 1]));
        }
        return out;
    }

    /** The registry in a map, as a compacted topic would hold it. */
    public static final class MemoryStore implements CameraStore {
        public final Map<String, CameraRegistration> cameras = new HashMap<>();
        public int puts;

        @Override
        public Map<String, CameraRegistration> all() {
            return new HashMap<>(cameras);
        }

        @Override
        public void put(CameraRegistration registration) {
            puts++;
            cameras.put(registration.getCameraId(), registration);
        }
    }
}
