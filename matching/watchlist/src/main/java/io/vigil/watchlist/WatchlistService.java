package io.vigil.watchlist;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditLog;
import io.vigil.index.IndexedEntry;
import io.vigil.index.VectorIndex;
import io.vigil.index.WatchlistEntry;
import io.vigil.schemas.AuditEventType;
import io.vigil.vision.face.AnalyzedFace;
import io.vigil.vision.face.Box;
import io.vigil.vision.face.FaceAligner;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceCrops;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.face.UnindexedReason;
import io.vigil.watchlist.reference.ReferenceFaces;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Watchlist management: enrol, list, show, remove, expire. The CLI and the HTTP API are thin
 * wrappers of this class, so both behave the same.
 *
 * <p>Photos go through the same detector, aligner and embedder as camera frames. The index keeps
 * embeddings and metadata; {@link ReferenceFaces} keeps, for each indexed face, its aligned crop
 * and a wider crop for reviewers, removed with the entry; the photos themselves are never stored.
 * Ids derive from content, so enrolling the same photo for the same person twice does not duplicate
 * it. Every operation is passed to the audit sink with its actor. Changes are committed before a
 * call returns, and the running pipeline sees them on its next search (see {@link VectorIndex}).
 *
 * <p>Not thread-safe for writes: one service owns the analyzer's sessions.
 */
public final class WatchlistService {
    private final FaceAnalyzer analyzer;
    private final VectorIndex index;
    private final ReferenceFaces references;
    private final Duration maxLifetime;
    private final AuditLog audit;
    private final Clock clock;

    /** The service with the configured lifetime, the given references and audit log, UTC. */
    public static WatchlistService of(
            FaceAnalyzer analyzer,
            VectorIndex index,
            ReferenceFaces references,
            WatchlistSettings settings,
            AuditLog audit) {
        return new WatchlistService(
                analyzer, index, references, settings.maxLifetime(), audit, Clock.systemUTC());
    }

    public WatchlistService(
            FaceAnalyzer analyzer,
            VectorIndex index,
            ReferenceFaces references,
            Duration maxLifetime,
            AuditLog audit,
            Clock clock) {
        this.analyzer = analyzer;
        this.index = index;
        this.references = references;
        this.maxLifetime = maxLifetime;
        this.audit = audit;
        this.clock = clock;
    }

    public String modelId() {
        return analyzer.embedderId();
    }

    /** Enrols one person's photos; a new entry, or more faces for an existing one. */
    public EnrollmentReport enroll(Enrollment request) {
        Instant now = clock.instant();
        String entryId = entryId(request.externalId(), modelId());
        Optional<IndexedEntry> existing =
                index.entry(entryId).filter(e -> !e.entry().isExpired(now));
        WatchlistEntry entry;
        if (existing.isPresent()) {
            entry = existing.get().entry();
            if (!entry.legalBasis().equals(request.legalBasis())) {
                throw new IllegalArgumentException(
                        "entry '"
                                + request.externalId()
                                + "' is enrolled under legal basis '"
                                + entry.legalBasis()
                                + "'; remove it and enrol again to change the legal basis");
            }
            if (!entry.purposes().equals(request.purposes())) {
                throw new IllegalArgumentException(
                        "entry '"
                                + request.externalId()
                                + "' is enrolled for "
                                + entry.purposes()
                                + "; remove it and enrol again to change its purposes");
            }
            if (!entry.cameras().equals(request.cameras())) {
                throw new IllegalArgumentException(
                        "entry '"
                                + request.externalId()
                                + "' may be matched on "
                                + (entry.cameras().isEmpty()
                                        ? "every camera of its purposes"
                                        : "cameras " + entry.cameras())
                                + "; remove it and enrol again to change its cameras");
            }
        } else {
            checkExpiry(request.expiresAt(), now);
            entry =
                    new WatchlistEntry(
                            entryId,
                            request.externalId(),
                            request.enrolledBy(),
                            now,
                            request.legalBasis(),
                            request.expiresAt(),
                            modelId(),
                            request.purposes(),
                            request.cameras());
        }
        List<EnrollmentReport.PhotoResult> results = new ArrayList<>();
        List<PendingFace> pending = new ArrayList<>();
        for (Enrollment.Photo photo : request.photos()) {
            results.add(
                    analyzePhoto(
                            entry, photo, request.maxFaces(), request.qualityFilter(), pending));
        }
        EnrollmentReport report =
                new EnrollmentReport(request.externalId(), entryId, existing.isEmpty(), results);
        // The audit record is durable before the change takes effect: if it cannot be written,
        // nothing is enrolled.
        audit.record(
                AuditEvents.event(
                                existing.isEmpty()
                                        ? AuditEventType.WATCHLIST_ENROLL
                                        : AuditEventType.WATCHLIST_ADD_PHOTOS,
                                request.enrolledBy(),
                                now)
                        .setWatchlistEntryId(entryId)
                        .setExternalId(request.externalId())
                        .setReason(entry.legalBasis())
                        .setDetails(
                                AuditEvents.details(
                                        "legalBasis", entry.legalBasis(),
                                        "expiresAt", entry.expiresAt(),
                                        "purposes", String.join(",", entry.purposes()),
                                        "cameras",
                                                entry.cameras().isEmpty()
                                                        ? "any"
                                                        : String.join(",", entry.cameras()),
                                        "modelId", modelId(),
                                        "photos", request.photos().size(),
                                        "indexedFaces", report.indexedFaces(),
                                        "qualityFilter", request.qualityFilter()))
                        .build());
        if (existing.isEmpty()) {
            index.deleteEntry(entryId); // an expired, not yet purged entry of the same person
            index.commit();
            references.deleteEntry(entryId);
        }
        // References first: a face is never searchable without the images a reviewer needs.
        for (PendingFace f : pending) {
            references.put(entryId, f.faceId(), f.images());
        }
        for (PendingFace f : pending) {
            index.upsert(entry, f.faceId(), f.embedding());
        }
        index.commit();
        return report;
    }

    /** A face analysed and accepted, written once the enrolment is audited. */
    private record PendingFace(String faceId, float[] embedding, ReferenceFaces.Images images) {}

    /** The faces a reviewer compares with: aligned as the embedder saw it, and with a margin. */
    private static ReferenceFaces.Images referenceImages(RgbImage photo, AnalyzedFace face) {
        return new ReferenceFaces.Images(
                FaceCrops.jpeg(FaceAligner.align(photo, face.fivePoints()), 0.9f),
                FaceCrops.jpeg(FaceCrops.crop(photo, face.box(), REFERENCE_SIDE), 0.9f));
    }

    /** Longest side of the wider reference crop: twice an alert crop's, for enlarging. */
    static final int REFERENCE_SIDE = 2 * FaceCrops.MAX_SIDE;

    private void checkExpiry(Instant expiresAt, Instant now) {
        if (!expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("expiresAt " + expiresAt + " is not in the future");
        }
        if (expiresAt.isAfter(now.plus(maxLifetime))) {
            throw new IllegalArgumentException(
                    "expiresAt "
                            + expiresAt
                            + " is more than "
                            + maxLifetime.toDays()
                            + " days ahead (vigil.watchlist.max.lifetime.days)");
        }
    }

    private EnrollmentReport.PhotoResult analyzePhoto(
            WatchlistEntry entry,
            Enrollment.Photo photo,
            int maxFaces,
            QualityFilter filter,
            List<PendingFace> pending) {
        RgbImage img;
        try {
            img = RgbImage.decode(photo.bytes());
        } catch (IOException | RuntimeException e) {
            return photoFailure(photo, UnindexedReason.UNREADABLE_IMAGE);
        }
        List<AnalyzedFace> faces = new ArrayList<>(analyzer.analyze(img));
        if (faces.isEmpty()) {
            return photoFailure(photo, UnindexedReason.NO_FACE_DETECTED);
        }
        faces.sort(Comparator.comparingDouble((AnalyzedFace f) -> f.box().area()).reversed());
        List<EnrollmentReport.IndexedFace> indexed = new ArrayList<>();
        List<EnrollmentReport.UnindexedFace> unindexed = new ArrayList<>();
        for (AnalyzedFace face : faces) {
            List<UnindexedReason> reasons = filter.check(face.quality());
            if (reasons.isEmpty() && indexed.size() == maxFaces) {
                reasons = List.of(UnindexedReason.EXCEEDS_MAX_FACES);
            }
            if (!reasons.isEmpty()) {
                unindexed.add(new EnrollmentReport.UnindexedFace(box(face.box()), reasons));
                continue;
            }
            String faceId = faceId(entry, photo.bytes(), indexed.size());
            pending.add(new PendingFace(faceId, face.embedding(), referenceImages(img, face)));
            indexed.add(
                    new EnrollmentReport.IndexedFace(
                            faceId, box(face.box()), face.quality().overall()));
        }
        return new EnrollmentReport.PhotoResult(photo.name(), indexed, unindexed);
    }

    private static EnrollmentReport.PhotoResult photoFailure(
            Enrollment.Photo photo, UnindexedReason reason) {
        return new EnrollmentReport.PhotoResult(
                photo.name(),
                List.of(),
                List.of(new EnrollmentReport.UnindexedFace(null, List.of(reason))));
    }

    public List<IndexedEntry> list(String actor) {
        List<IndexedEntry> all = index.entries();
        audit.record(
                AuditEvents.event(AuditEventType.WATCHLIST_LIST, actor, clock.instant())
                        .setDetails(AuditEvents.details("entries", all.size()))
                        .build());
        return all;
    }

    public Optional<IndexedEntry> show(String externalId, String actor) {
        Optional<IndexedEntry> found = index.entry(entryId(externalId, modelId()));
        audit.record(
                AuditEvents.event(AuditEventType.WATCHLIST_SHOW, actor, clock.instant())
                        .setExternalId(externalId)
                        .setWatchlistEntryId(found.map(e -> e.entry().entryId()).orElse(null))
                        .setDetails(AuditEvents.details("found", found.isPresent()))
                        .build());
        return found;
    }

    /**
     * Removes the entry at once; returns the number of faces removed (0: there was no such entry).
     */
    public long remove(String externalId, String actor, String reason) {
        requireText(actor, "actor");
        requireText(reason, "reason");
        String entryId = entryId(externalId, modelId());
        long faces = index.entry(entryId).map(e -> (long) e.faceIds().size()).orElse(0L);
        // Audited first: a removal that cannot be recorded does not happen.
        audit.record(
                AuditEvents.event(AuditEventType.WATCHLIST_REMOVE, actor, clock.instant())
                        .setExternalId(externalId)
                        .setWatchlistEntryId(entryId)
                        .setReason(reason)
                        .setDetails(AuditEvents.details("faces", faces))
                        .build());
        long removed = index.deleteEntry(entryId);
        index.commit();
        references.deleteEntry(entryId);
        return removed;
    }

    /**
     * Erases a person: every entry of {@code externalId}, under every embedding model (a person
     * enrolled before a model change has an entry per model), with all their faces. Audited first,
     * listing what is removed; then removed and re-read to verify. {@code store} names the store in
     * the receipt.
     */
    public ErasureReceipt erase(String externalId, String actor, String reason, String store) {
        requireText(externalId, "externalId");
        requireText(actor, "actor");
        requireText(reason, "reason");
        Instant now = clock.instant();
        List<IndexedEntry> found = entriesOf(externalId);
        List<ErasureReceipt.ErasedEntry> erased = new ArrayList<>();
        for (IndexedEntry e : found) {
            WatchlistEntry w = e.entry();
            erased.add(
                    new ErasureReceipt.ErasedEntry(
                            w.entryId(),
                            w.modelId(),
                            w.legalBasis(),
                            w.enrolledBy(),
                            w.enrolledAt(),
                            w.expiresAt(),
                            e.faceIds().size()));
        }
        long faces = erased.stream().mapToLong(ErasureReceipt.ErasedEntry::faces).sum();
        String receiptId = UUID.randomUUID().toString();
        // Audited first: an erasure that cannot be recorded does not happen.
        audit.record(
                AuditEvents.event(AuditEventType.PERSON_ERASED, actor, now)
                        .setEventId(receiptId)
                        .setExternalId(externalId)
                        .setReason(reason)
                        .setDetails(
                                AuditEvents.details(
                                        "entries",
                                        erased.size(),
                                        "faces",
                                        faces,
                                        "entryIds",
                                        String.join(
                                                ",",
                                                erased.stream()
                                                        .map(ErasureReceipt.ErasedEntry::entryId)
                                                        .toList()),
                                        "store",
                                        store))
                        .build());
        long removed = 0;
        for (ErasureReceipt.ErasedEntry e : erased) {
            removed += index.deleteEntry(e.entryId());
        }
        index.commit();
        long referenceBytes = 0;
        for (ErasureReceipt.ErasedEntry e : erased) {
            referenceBytes += references.deleteEntry(e.entryId());
        }
        boolean referencesGone =
                erased.stream().noneMatch(e -> references.entries().contains(e.entryId()));
        boolean indexGone = entriesOf(externalId).isEmpty();
        List<String> ids = erased.stream().map(ErasureReceipt.ErasedEntry::entryId).toList();
        return new ErasureReceipt(
                receiptId,
                externalId,
                now,
                actor,
                reason,
                store,
                erased,
                removed,
                referenceBytes,
                indexGone && referencesGone,
                List.of(
                        new ErasureReceipt.Store(
                                "watchlist-index", store, ids, removed, 0, indexGone, null),
                        new ErasureReceipt.Store(
                                "reference-faces",
                                references.dir().toString(),
                                ids,
                                0,
                                referenceBytes,
                                referencesGone,
                                null)));
    }

    private List<IndexedEntry> entriesOf(String externalId) {
        return index.entries().stream()
                .filter(e -> e.entry().externalId().equals(externalId))
                .toList();
    }

    /**
     * Purges every entry whose expiry has passed, with its reference faces, and the reference faces
     * of any entry no longer in the index; returns the number of faces removed.
     */
    public long expire(String actor) {
        Instant now = clock.instant();
        List<IndexedEntry> expired =
                index.entries().stream().filter(e -> e.entry().isExpired(now)).toList();
        long due = expired.stream().mapToLong(e -> e.faceIds().size()).sum();
        // Audited first: a purge that cannot be recorded does not happen.
        audit.record(
                AuditEvents.event(AuditEventType.WATCHLIST_EXPIRE, actor, now)
                        .setReason("expiry passed")
                        .setDetails(AuditEvents.details("faces", due))
                        .build());
        long purged = index.purgeExpired(now);
        index.commit();
        expired.forEach(e -> references.deleteEntry(e.entry().entryId()));
        Set<String> live = new HashSet<>();
        index.entries().forEach(e -> live.add(e.entry().entryId()));
        references.sweep(live);
        return purged;
    }

    /** The stored reference faces, for reviewers (the console) only. */
    public ReferenceFaces references() {
        return references;
    }

    /** The entry id of a person under a model: stable, so re-enrolment finds the same entry. */
    public static String entryId(String externalId, String modelId) {
        return UUID.nameUUIDFromBytes((externalId + '|' + modelId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    static String faceId(WatchlistEntry entry, byte[] photo, int rank) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(entry.entryId().getBytes(StandardCharsets.UTF_8));
            md.update(photo);
            md.update((byte) rank);
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EnrollmentReport.FaceBox box(Box b) {
        return new EnrollmentReport.FaceBox(
                Math.round(b.x1()),
                Math.round(b.y1()),
                Math.round(b.width()),
                Math.round(b.height()));
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
