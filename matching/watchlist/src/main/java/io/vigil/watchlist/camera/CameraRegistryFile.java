package io.vigil.watchlist.camera;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraRegistrationStatus;
import io.vigil.schemas.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads cameras to register from a JSON file:
 *
 * <pre>{"cameras": [{"id": "cam-1", "name": "...", "location": "...", "owner": "...",
 *   "authorizationRef": "...", "purposes": ["..."],
 *   "authorizedFrom": "2026-01-01", "authorizedUntil": "2026-07-01T00:00:00Z", "status": "ACTIVE",
 *   "regionsOfInterest": [[[0.1, 0.2], [0.9, 0.2], [0.9, 1.0], [0.1, 1.0]]]}]}</pre>
 *
 * Every field but {@code status} (ACTIVE) and {@code regionsOfInterest} (whole frame) is required,
 * the authorization window too: no authorization is open-ended. Errors name the camera and the
 * field.
 */
public final class CameraRegistryFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CameraRegistryFile() {}

    public static List<CameraRegistration> read(Path file, String actor, String reason, Instant now)
            throws IOException {
        return parse(Files.readAllBytes(file), file.toString(), actor, reason, now);
    }

    /** As {@link #read}, from bytes; {@code file} names the source in errors. */
    public static List<CameraRegistration> parse(
            byte[] json, String file, String actor, String reason, Instant now) throws IOException {
        JsonNode root = JSON.readTree(json);
        JsonNode cameras = root.path("cameras");
        if (!cameras.isArray() || cameras.isEmpty()) {
            throw new IllegalArgumentException(file + ": needs a non-empty \"cameras\" array");
        }
        List<CameraRegistration> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < cameras.size(); i++) {
            JsonNode c = cameras.get(i);
            String id = text(c, "id", file + " camera " + i);
            String where = file + " camera '" + id + "'";
            if (!seen.add(id)) {
                throw new IllegalArgumentException(where + ": listed twice");
            }
            List<String> purposes = new ArrayList<>();
            c.path("purposes").forEach(p -> purposes.add(p.asText()));
            if (purposes.isEmpty() || purposes.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException(where + ": \"purposes\" must list one or more");
            }
            CameraRegistrationStatus status;
            try {
                status =
                        CameraRegistrationStatus.valueOf(
                                c.path("status").asText("ACTIVE").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        where + ": \"status\" must be ACTIVE or SUSPENDED", e);
            }
            String authorization = text(c, "authorizationRef", where);
            if (status == CameraRegistrationStatus.ACTIVE && isPlaceholder(authorization)) {
                throw new IllegalArgumentException(
                        where
                                + ": \"authorizationRef\" is a placeholder ("
                                + authorization
                                + "); a camera is ACTIVE only under a real authorization (import it"
                                + " as SUSPENDED until it has one)");
            }
            Instant from = instant(c, "authorizedFrom", where);
            Instant until = instant(c, "authorizedUntil", where);
            if (!until.isAfter(from)) {
                throw new IllegalArgumentException(
                        where + ": \"authorizedUntil\" must be after \"authorizedFrom\"");
            }
            List<List<Point>> regions = regions(c.path("regionsOfInterest"), where);
            CameraRegistration r =
                    CameraRegistration.newBuilder()
                            .setCameraId(id)
                            .setName(text(c, "name", where))
                            .setLocation(text(c, "location", where))
                            .setOwner(text(c, "owner", where))
                            .setAuthorizationRef(authorization)
                            .setPurposes(purposes)
                            .setAuthorizedFrom(from)
                            .setAuthorizedUntil(until)
                            .setStatus(status)
                            .setRegionsOfInterest(regions)
                            .setUpdatedBy(actor)
                            .setUpdatedAt(now)
                            .setReason(reason)
                            .build();
            try {
                Regions.of(regions);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            out.add(r);
        }
        return out;
    }

    private static List<List<Point>> regions(JsonNode node, String where) {
        List<List<Point>> out = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(
                    where + ": \"regionsOfInterest\" must be an array of polygons");
        }
        for (JsonNode poly : node) {
            List<Point> points = new ArrayList<>();
            for (JsonNode p : poly) {
                if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                    throw new IllegalArgumentException(
                            where + ": a region point must be [x, y] in fractions of the frame");
                }
                points.add(new Point(p.get(0).floatValue(), p.get(1).floatValue()));
            }
            out.add(points);
        }
        return out;
    }

    /** A date (its start, UTC) or an instant (ISO-8601); errors name the field. */
    private static Instant instant(JsonNode c, String field, String where) {
        String v = text(c, field, where);
        try {
            return v.contains("T")
                    ? Instant.parse(v)
                    : LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    where
                            + ": \""
                            + field
                            + "\" must be a date (2026-01-01) or an instant"
                            + " (2026-01-01T00:00:00Z), was '"
                            + v
                            + "'",
                    e);
        }
    }

    private static String text(JsonNode c, String field, String where) {
        String v = c.path(field).asText("");
        if (v.isBlank()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" is required");
        }
        return v;
    }

    /** Whether an authorization reference is a template's placeholder rather than a reference. */
    public static boolean isPlaceholder(String authorizationRef) {
        String r = authorizationRef.toUpperCase(Locale.ROOT);
        return r.contains("REPLACE")
                || r.contains("PLACEHOLDER")
                || r.contains("CHANGEME")
                || r.contains("CHANGE-ME")
                || r.contains("TODO")
                || r.contains("XXX");
    }
}
