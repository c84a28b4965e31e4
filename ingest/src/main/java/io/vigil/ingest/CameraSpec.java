package io.vigil.ingest;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One camera feed: id, source (file path or rtsp/http/https/rtmp/udp URL), sampling rate and
 * limits. Live sources reconnect with exponential backoff; files end at end of file (or loop).
 */
public record CameraSpec(
        String cameraId,
        String source,
        double sampleFps,
        boolean realtime,
        boolean loop,
        long maxFrames,
        int jpegQuality,
        Duration reconnectInitialBackoff,
        Duration reconnectMaxBackoff) {

    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9_.\\-:]{1,128}");

    public CameraSpec {
        if (cameraId == null || !ID.matcher(cameraId).matches()) {
            throw new IllegalArgumentException(
                    "camera id '" + cameraId + "' must be 1-128 chars of [a-zA-Z0-9_.\\-:]");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("camera " + cameraId + ": source is required");
        }
        if (!(sampleFps > 0 && sampleFps <= 120)) {
            throw new IllegalArgumentException(
                    "camera " + cameraId + ": sampleFps must be in (0, 120], was " + sampleFps);
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException(
                    "camera " + cameraId + ": jpegQuality must be 1..100, was " + jpegQuality);
        }
        if (maxFrames < 0) {
            throw new IllegalArgumentException(
                    "camera " + cameraId + ": maxFrames must be >= 0 (0 = unlimited)");
        }
    }

    /** A file or URL sampled at {@code fps}, paced in real time, unlimited, default quality. */
    public static CameraSpec of(String cameraId, String source, double fps) {
        return new CameraSpec(
                cameraId,
                source,
                fps,
                true,
                false,
                0,
                85,
                Duration.ofMillis(500),
                Duration.ofSeconds(30));
    }

    public CameraSpec withRealtime(boolean r) {
        return new CameraSpec(
                cameraId,
                source,
                sampleFps,
                r,
                loop,
                maxFrames,
                jpegQuality,
                reconnectInitialBackoff,
                reconnectMaxBackoff);
    }

    public CameraSpec withMaxFrames(long n) {
        return new CameraSpec(
                cameraId,
                source,
                sampleFps,
                realtime,
                loop,
                n,
                jpegQuality,
                reconnectInitialBackoff,
                reconnectMaxBackoff);
    }

    public CameraSpec withLoop(boolean l) {
        return new CameraSpec(
                cameraId,
                source,
                sampleFps,
                realtime,
                l,
                maxFrames,
                jpegQuality,
                reconnectInitialBackoff,
                reconnectMaxBackoff);
    }

    /** Network streams drop and come back; files end. */
    public boolean isLive() {
        String s = source.toLowerCase(Locale.ROOT);
        if (!s.contains("://")) {
            return false;
        }
        String scheme = URI.create(source).getScheme().toLowerCase(Locale.ROOT);
        return !scheme.equals("file");
    }
}
