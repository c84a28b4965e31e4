package io.vigil.watchlist;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.index.IndexedEntry;
import io.vigil.index.WatchlistEntry;
import io.vigil.vision.face.QualityFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes shared by the CLI and the HTTP API. Entries carry metadata and face ids, never
 * vectors.
 */
public final class WatchlistJson {
    static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper COMPACT = new ObjectMapper();

    /** Indented JSON, for people reading a tool's output. */
    public static String pretty(Object value) throws JsonProcessingException {
        return MAPPER.writeValueAsString(value);
    }

    /** One-line JSON, for JSON Lines. */
    public static String compact(Object value) throws JsonProcessingException {
        return COMPACT.writeValueAsString(value);
    }

    private WatchlistJson() {}

    /** An erasure receipt, times as ISO-8601. */
    public static Map<String, Object> receipt(ErasureReceipt r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("receiptId", r.receiptId());
        m.put("externalId", r.externalId());
        m.put("erasedAt", r.erasedAt().toString());
        m.put("erasedBy", r.erasedBy());
        m.put("reason", r.reason());
        m.put("store", r.store());
        List<Map<String, Object>> entries = new ArrayList<>();
        for (ErasureReceipt.ErasedEntry e : r.entries()) {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("entryId", e.entryId());
            em.put("modelId", e.modelId());
            em.put("legalBasis", e.legalBasis());
            em.put("enrolledBy", e.enrolledBy());
            em.put("enrolledAt", e.enrolledAt().toString());
            em.put("expiresAt", e.expiresAt().toString());
            em.put("faces", e.faces());
            entries.add(em);
        }
        m.put("entries", entries);
        m.put("facesRemoved", r.facesRemoved());
        m.put("referenceImageBytesRemoved", r.referenceBytes());
        m.put("verifiedAbsent", r.verifiedAbsent());
        List<Map<String, Object>> stores = new ArrayList<>();
        for (ErasureReceipt.Store st : r.stores()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("store", st.name());
            sm.put("where", st.where());
            sm.put("removed", st.removed());
            sm.put("faces", st.faces());
            sm.put("bytes", st.bytes());
            sm.put("verifiedAbsent", st.verifiedAbsent());
            if (st.note() != null) {
                sm.put("note", st.note());
            }
            stores.add(sm);
        }
        m.put("stores", stores);
        m.put(
                "note",
                "Vigil kept no enrolment photo of this person: enrolment stores face embeddings,"
                        + " for each face an aligned crop and a crop with a margin for reviewers,"
                        + " and the metadata above, all removed. The audit log keeps the events"
                        + " about this person (ids, times, actors, reasons), which hold no image"
                        + " and no embedding.");
        return m;
    }

    public static Map<String, Object> entry(IndexedEntry indexed) {
        WatchlistEntry e = indexed.entry();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("externalId", e.externalId());
        m.put("entryId", e.entryId());
        m.put("enrolledBy", e.enrolledBy());
        m.put("enrolledAt", e.enrolledAt().toString());
        m.put("legalBasis", e.legalBasis());
        m.put("expiresAt", e.expiresAt().toString());
        m.put("modelId", e.modelId());
        m.put("purposes", e.purposes());
        m.put("cameras", e.cameras());
        m.put("faceIds", indexed.faceIds());
        return m;
    }

    /**
     * An enrolment request: {@code externalId}, {@code legalBasis}, {@code expiresAt} (ISO instant)
     * or {@code expiresInDays}, {@code purposes} (the purposes the person may be matched for),
     * {@code photos} ([{name, base64}]), optional {@code cameras} (the only cameras the person may
     * be matched on), {@code maxFaces} and {@code qualityFilter}. The actor is the authenticated
     * caller, never a field of the body.
     */
    public static Enrollment enrollment(JsonNode body, String actor, QualityFilter defaultQuality) {
        List<Enrollment.Photo> photos = new ArrayList<>();
        for (JsonNode p : body.path("photos")) {
            try {
                photos.add(
                        new Enrollment.Photo(
                                p.path("name").asText("photo"),
                                Base64.getDecoder().decode(p.path("base64").asText())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "photo '" + p.path("name").asText() + "' is not valid base64");
            }
        }
        Instant expires;
        try {
            if (body.hasNonNull("expiresAt")) {
                expires = Instant.parse(body.get("expiresAt").asText());
            } else if (body.hasNonNull("expiresInDays")) {
                expires = Instant.now().plus(Duration.ofDays(body.get("expiresInDays").asLong()));
            } else {
                throw new IllegalArgumentException("expiresAt or expiresInDays is required");
            }
        } catch (java.time.DateTimeException | ArithmeticException e) {
            // Found by fuzzing: a malformed or out-of-range date is the caller's error, not ours.
            throw new IllegalArgumentException(
                    "expiresAt must be an ISO instant and expiresInDays a number of days in range",
                    e);
        }
        QualityFilter q =
                body.hasNonNull("qualityFilter")
                        ? QualityFilter.valueOf(
                                body.get("qualityFilter")
                                        .asText()
                                        .toUpperCase(java.util.Locale.ROOT))
                        : defaultQuality;
        return new Enrollment(
                body.path("externalId").asText(""),
                photos,
                actor,
                body.path("legalBasis").asText(""),
                expires,
                body.path("maxFaces").asInt(1),
                q,
                purposes(body.path("purposes")),
                purposes(body.path("cameras")));
    }

    private static List<String> purposes(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(p -> out.add(p.asText("")));
        }
        return out;
    }
}
