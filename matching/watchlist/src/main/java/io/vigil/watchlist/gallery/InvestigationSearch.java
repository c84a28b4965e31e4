package io.vigil.watchlist.gallery;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditLog;
import io.vigil.index.SearchFilter;
import io.vigil.index.SearchHit;
import io.vigil.schemas.AuditEventType;
import io.vigil.vision.face.AnalyzedFace;
import io.vigil.vision.face.Box;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.RgbImage;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Investigation search: a probe photo, a case number and a reason give the gallery entries most
 * similar to the probe's face, ranked, as leads for a trained person, never an identification.
 * Every search is audited before its candidates are returned (actor, case, reason, the probe's
 * SHA-256, the candidates with ranks and scores, the floor); refusals are audited too. The probe is
 * not stored.
 */
public final class InvestigationSearch {
    /** Shown with every result. */
    public static final String BANNER =
            "Investigative lead only, not an identification: a candidate must be corroborated by"
                    + " other evidence before any action.";

    private static final Pattern CASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./:-]{1,63}");

    /** Where a probe is kept for its case file, when an operator enabled it. */
    @FunctionalInterface
    public interface ProbeStore {
        void keep(String searchId, String caseNumber, String actor, Instant at, byte[] probe);
    }

    /** How many searches a user has made since a time (the audit log's count). */
    @FunctionalInterface
    public interface SearchCount {
        long since(String actor, Instant from);
    }

    /** Why a search is refused, and the HTTP status the API answers with. */
    public enum Refusal {
        NO_CASE_NUMBER(400),
        NO_REASON(400),
        BAD_K(400),
        OVER_QUOTA(429);

        public final int status;

        Refusal(int status) {
            this.status = status;
        }
    }

    /** A refused search (audited). */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public final transient Refusal refusal;

        Refused(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }
    }

    /** The probe has several faces and the caller did not pick one (nothing was searched). */
    public static final class ChooseFace extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public final transient List<Box> faces;

        ChooseFace(List<Box> faces) {
            super(
                    faces.size()
                            + " faces in the probe photo: choose one (faceIndex 0.."
                            + (faces.size() - 1)
                            + ", largest first)");
            this.faces = faces;
        }
    }

    /** One candidate. */
    public record Candidate(
            int rank, float similarity, String entryId, String faceId, GalleryRecord booking) {}

    /** A search's outcome; {@code searchId} is its audit event's id. */
    public record Result(
            String searchId,
            String caseNumber,
            int facesInProbe,
            int faceIndex,
            float floor,
            List<Candidate> candidates) {
        public String banner() {
            return BANNER;
        }
    }

    /** What the investigator made of a search's candidates. */
    public enum Outcome {
        CORROBORATED,
        EXCLUDED,
        NO_ACTION
    }

    private final FaceAnalyzer analyzer;
    private final Gallery gallery;
    private final float floor;
    private final int maxK;
    private final int dailyQuota;
    private final SearchCount count;
    private final AuditLog audit;
    private final Clock clock;
    private final Optional<ProbeStore> probes;

    public InvestigationSearch(
            FaceAnalyzer analyzer,
            Gallery gallery,
            float floor,
            int maxK,
            int dailyQuota,
            SearchCount count,
            AuditLog audit,
            Clock clock,
            Optional<ProbeStore> probes) {
        this.analyzer = analyzer;
        this.probes = probes;
        this.gallery = gallery;
        this.floor = floor;
        this.maxK = maxK;
        this.dailyQuota = dailyQuota;
        this.count = count;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Searches the gallery.
     *
     * @param faceIndex which of the probe's faces (largest first); null when it has one
     * @throws Refused when the case, the reason or k is missing or wrong, or the user is over quota
     *     (audited)
     * @throws ChooseFace when the probe has several faces and none was chosen
     */
    public synchronized Result search(
            String actor,
            String caseNumber,
            String reason,
            byte[] probe,
            int k,
            Integer faceIndex) {
        Instant now = clock.instant();
        if (caseNumber == null || !CASE.matcher(caseNumber).matches()) {
            throw refuse(
                    actor,
                    caseNumber,
                    Refusal.NO_CASE_NUMBER,
                    "a search needs a case number (2-64 letters, digits and _./:-)");
        }
        if (reason == null || reason.isBlank()) {
            throw refuse(actor, caseNumber, Refusal.NO_REASON, "a search needs a reason");
        }
        if (k < 1 || k > maxK) {
            throw refuse(actor, caseNumber, Refusal.BAD_K, "k must be 1.." + maxK);
        }
        Instant day =
                now.atOffset(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        if (count.since(actor, day) >= dailyQuota) {
            throw refuse(
                    actor,
                    caseNumber,
                    Refusal.OVER_QUOTA,
                    actor + " has made " + dailyQuota + " searches today, the daily quota");
        }
        List<AnalyzedFace> faces;
        try {
            faces = new ArrayList<>(analyzer.analyze(RgbImage.decode(probe)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "the probe is not a readable image: " + e.getMessage());
        }
        faces.sort(Comparator.comparingDouble((AnalyzedFace f) -> f.box().area()).reversed());
        if (faces.size() > 1 && faceIndex == null) {
            throw new ChooseFace(faces.stream().map(AnalyzedFace::box).toList());
        }
        int chosen = faceIndex == null ? 0 : faceIndex;
        if (!faces.isEmpty() && (chosen < 0 || chosen >= faces.size())) {
            throw new IllegalArgumentException("faceIndex must be 0.." + (faces.size() - 1));
        }
        List<Candidate> candidates = new ArrayList<>();
        if (!faces.isEmpty()) {
            List<SearchHit> hits =
                    gallery.index()
                            .searchAbove(
                                    faces.get(chosen).embedding(),
                                    k,
                                    floor,
                                    new SearchFilter(
                                            analyzer.embedderId(),
                                            now,
                                            Set.of(GalleryRecord.PURPOSE)));
            for (SearchHit h : hits) {
                candidates.add(
                        new Candidate(
                                candidates.size() + 1,
                                h.similarity(),
                                h.entry().entryId(),
                                h.faceId(),
                                GalleryRecord.fromEntry(h.entry())));
            }
        }
        String searchId = UUID.randomUUID().toString();
        StringBuilder listed = new StringBuilder();
        for (Candidate c : candidates) {
            if (listed.length() > 0) {
                listed.append(';');
            }
            listed.append(c.entryId())
                    .append('@')
                    .append(c.rank())
                    .append('=')
                    .append(c.similarity());
        }
        // Audited before anyone sees a candidate: a search that cannot be recorded returns nothing.
        audit.record(
                AuditEvents.event(AuditEventType.INVESTIGATION_SEARCH, actor, now)
                        .setEventId(searchId)
                        .setReason(reason)
                        .setDetails(
                                AuditEvents.details(
                                        "case",
                                        caseNumber,
                                        "probeSha256",
                                        sha256(probe),
                                        "facesInProbe",
                                        faces.size(),
                                        "faceIndex",
                                        chosen,
                                        "k",
                                        k,
                                        "floor",
                                        floor,
                                        "modelId",
                                        analyzer.embedderId(),
                                        "probeKept",
                                        probes.isPresent(),
                                        "candidates",
                                        listed.length() == 0 ? "none" : listed))
                        .build());
        // Kept (when enabled) before the answer: a case file that cannot be written fails the
        // search rather than lose the probe.
        probes.ifPresent(p -> p.keep(searchId, caseNumber, actor, now, probe));
        return new Result(searchId, caseNumber, faces.size(), chosen, floor, candidates);
    }

    /** Records what the investigator made of a search (audited). */
    public void outcome(
            String actor, String searchId, String caseNumber, Outcome outcome, String note) {
        if (searchId == null || searchId.isBlank()) {
            throw new IllegalArgumentException("searchId is required");
        }
        if (caseNumber == null || !CASE.matcher(caseNumber).matches()) {
            throw new IllegalArgumentException("a case number is required");
        }
        audit.record(
                AuditEvents.event(AuditEventType.INVESTIGATION_OUTCOME, actor, clock.instant())
                        .setReason(AuditEvents.capped(note))
                        .setDetails(
                                AuditEvents.details(
                                        "searchId", searchId,
                                        "case", caseNumber,
                                        "outcome", outcome))
                        .build());
    }

    private Refused refuse(String actor, String caseNumber, Refusal why, String message) {
        audit.record(
                AuditEvents.event(
                                AuditEventType.INVESTIGATION_SEARCH_REFUSED, actor, clock.instant())
                        .setReason(message)
                        .setDetails(
                                AuditEvents.details(
                                        "refusal", why, "case", AuditEvents.capped(caseNumber)))
                        .build());
        return new Refused(why, message);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
