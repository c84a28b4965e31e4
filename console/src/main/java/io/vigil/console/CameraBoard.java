package io.vigil.console;

import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraState;
import io.vigil.schemas.CameraStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Registered cameras with their latest health, from the registry and camera-status topics, and
 * where each stands in its authorization window.
 */
public final class CameraBoard {
    /** A camera as the console shows it; either part may be missing. */
    public record Entry(String cameraId, CameraRegistration registration, CameraStatus status) {}

    /** Where a camera stands in its authorization window. */
    public enum Authorization {
        /** The window has not started: frames are not processed yet. */
        NOT_YET,
        AUTHORIZED,
        /** Authorized, but the window ends within the warning period. */
        ENDING_SOON,
        /** The window has ended: frames are not processed. */
        ENDED
    }

    private final Map<String, CameraRegistration> registrations = new TreeMap<>();
    private final Map<String, CameraStatus> statuses = new TreeMap<>();
    private final Duration warnBefore;
    private final Clock clock;

    /** {@code warnBefore}: how long before its end an authorization is flagged. */
    public CameraBoard(Duration warnBefore, Clock clock) {
        this.warnBefore = warnBefore;
        this.clock = clock;
    }

    public Authorization authorization(CameraRegistration r) {
        Instant now = clock.instant();
        if (now.isBefore(r.getAuthorizedFrom())) {
            return Authorization.NOT_YET;
        }
        if (!now.isBefore(r.getAuthorizedUntil())) {
            return Authorization.ENDED;
        }
        return now.plus(warnBefore).isBefore(r.getAuthorizedUntil())
                ? Authorization.AUTHORIZED
                : Authorization.ENDING_SOON;
    }

    /** Days until each registered camera's authorization ends (negative once it has). */
    public synchronized Map<String, Double> authorizationDaysLeft() {
        Map<String, Double> out = new TreeMap<>();
        Instant now = clock.instant();
        registrations.forEach(
                (id, r) ->
                        out.put(
                                label(id),
                                Duration.between(now, r.getAuthorizedUntil()).toMinutes()
                                        / (24.0 * 60)));
        return out;
    }

    /** How many registered cameras are in each authorization state. */
    public synchronized Map<String, Double> authorizationCounts() {
        Map<String, Double> out = new TreeMap<>();
        for (Authorization a : Authorization.values()) {
            out.put("state=\"" + a.name() + "\"", 0.0);
        }
        registrations
                .values()
                .forEach(
                        r ->
                                out.merge(
                                        "state=\"" + authorization(r).name() + "\"",
                                        1.0,
                                        Double::sum));
        return out;
    }

    private static String label(String cameraId) {
        return "camera=\"" + cameraId.replace("\"", "") + "\"";
    }

    public synchronized void onRegistration(CameraRegistration r) {
        registrations.put(r.getCameraId(), r);
    }

    public synchronized void onStatus(CameraStatus s) {
        CameraStatus prev = statuses.get(s.getCameraId());
        if (prev != null && !s.getReportedAt().isAfter(prev.getReportedAt())) {
            return; // a replayed or reordered report
        }
        statuses.put(s.getCameraId(), s);
        Streamed t =
                streamed.computeIfAbsent(s.getCameraId(), k -> new Streamed(s.getReportedAt()));
        if (prev != null && prev.getState() == CameraState.STREAMING) {
            long gap = Duration.between(prev.getReportedAt(), s.getReportedAt()).toMillis();
            t.millis += Math.min(gap, MAX_REPORT_GAP.toMillis());
        }
    }

    /**
     * A gap between two reports longer than this counts only this long as streamed: a camera that
     * went silent (its ingest stopped) is not counted as watching.
     */
    static final Duration MAX_REPORT_GAP = Duration.ofMinutes(10);

    /** Time a camera was reported streaming, since the first report this console saw. */
    private static final class Streamed {
        final Instant since;
        long millis;

        Streamed(Instant since) {
            this.since = since;
        }
    }

    private final Map<String, Streamed> streamed = new TreeMap<>();

    /** Hours the camera was reported streaming, as this console saw its status reports. */
    public synchronized double streamedHours(String cameraId) {
        Streamed t = streamed.get(cameraId);
        return t == null ? 0 : t.millis / 3_600_000.0;
    }

    /** When this console first saw a status report of the camera (empty: never). */
    public synchronized java.util.Optional<Instant> observedSince(String cameraId) {
        Streamed t = streamed.get(cameraId);
        return t == null ? java.util.Optional.empty() : java.util.Optional.of(t.since);
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
        statuses.forEach((id, s) -> out.put(label(id), value.applyAsDouble(s)));
        return out;
    }

    /** The registered location, or empty when the camera is not registered. */
    public synchronized String location(String cameraId) {
        CameraRegistration r = registrations.get(cameraId);
        return r == null ? "" : r.getLocation();
    }

    public synchronized String name(String cameraId) {
        CameraRegistration r = registrations.get(cameraId);
        return r == null ? cameraId : r.getName();
    }
}
