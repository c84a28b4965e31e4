package io.vigil.console;

import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Registered cameras with their latest health, from the registry and camera-status topics. */
public final class CameraBoard {
    /** A camera as the console shows it; either part may be missing. */
    public record Entry(String cameraId, CameraRegistration registration, CameraStatus status) {}

    private final Map<String, CameraRegistration> registrations = new TreeMap<>();
    private final Map<String, CameraStatus> statuses = new TreeMap<>();

    public synchronized void onRegistration(CameraRegistration r) {
        registrations.put(r.getCameraId(), r);
    }

    public synchronized void onStatus(CameraStatus s) {
        statuses.put(s.getCameraId(), s);
    }

    public synchronized List<Entry> list() {
        TreeMap<String, Entry> out = new TreeMap<>();
        registrations.forEach((id, r) -> out.put(id, new Entry(id, r, statuses.get(id))));
        statuses.forEach((id, s) -> out.putIfAbsent(id, new Entry(id, null, s)));
        return new ArrayList<>(out.values());
    }

    /** One value per camera with a status report, by {@code camera="id"} label. */
    public synchronized Map<String, Double> perCamera(
            java.util.function.ToDoubleFunction<CameraStatus> value) {
        Map<String, Double> out = new TreeMap<>();
        statuses.forEach(
                (id, s) ->
                        out.put("camera=\"" + id.replace("\"", "") + "\"", value.applyAsDouble(s)));
        return out;
    }

    public synchronized String name(String cameraId) {
        CameraRegistration r = registrations.get(cameraId);
        return r == null ? cameraId : r.getName();
    }
}
