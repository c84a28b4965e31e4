package io.vigil.watchlist.camera;

import io.vigil.schemas.CameraRegistration;
import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A snapshot of the camera registry: the latest registration of each camera. The job starts from
 * the snapshot read when it is built and applies later changes from the registry topic.
 */
public final class CameraRegistry implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final CameraRegistry EMPTY = new CameraRegistry(Map.of());

    private final Map<String, CameraRule> rules;

    private CameraRegistry(Map<String, CameraRule> rules) {
        this.rules = rules;
    }

    /** The latest registration per camera id (by update time) wins. */
    public static CameraRegistry of(Collection<CameraRegistration> registrations) {
        Map<String, CameraRule> m = new HashMap<>();
        for (CameraRegistration r : registrations) {
            m.merge(r.getCameraId(), CameraRule.of(r), CameraRule::newer);
        }
        return new CameraRegistry(Map.copyOf(m));
    }

    /** The camera's rule, or null when it is not registered. */
    public CameraRule rule(String cameraId) {
        return rules.get(cameraId);
    }

    public long activeCount() {
        return rules.values().stream().filter(CameraRule::active).count();
    }

    public int size() {
        return rules.size();
    }
}
