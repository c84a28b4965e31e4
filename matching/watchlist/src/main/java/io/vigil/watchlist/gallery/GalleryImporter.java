package io.vigil.watchlist.gallery;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditLog;
import io.vigil.index.WatchlistEntry;
import io.vigil.schemas.AuditEventType;
import io.vigil.vision.face.AnalyzedFace;
import io.vigil.vision.face.FaceAligner;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceCrops;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.face.UnindexedReason;
import io.vigil.watchlist.reference.ReferenceFaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Imports booking photos into a gallery from a CSV manifest ({@code booking_id, photo,
 * booking_date, agency, source_system, purge_at, purge_on_request}, and optionally {@code
 * person_id}, the booking system's id of the person): on every thread given, one face analyzer
 * each; resumable (ids derive from the booking id, so a rerun skips what is done and a repeated row
 * imports nothing); one result per row, with the same reasons as enrolment. A photo must show one
 * usable face. Audited before anything is written.
 */
public final class GalleryImporter implements AutoCloseable {
    /** One row's outcome. */
    public record RowResult(
            int line, String bookingId, String photo, Status status, List<String> reasons) {

        /** The row's line of the JSONL import report. */
        public String reportLine() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("line", line);
            m.put("bookingId", bookingId);
            m.put("photo", photo);
            m.put("status", status.name());
            m.put("reasons", reasons);
            try {
                return REPORT_JSON.writeValueAsString(m);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper REPORT_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** What happened to a row. */
    public enum Status {
        IMPORTED,
        ALREADY_IMPORTED,
        REJECTED
    }

    /** Progress so far. */
    public record Progress(
            int rows,
            int done,
            int imported,
            double facesPerSecond,
            Map<String, Integer> rejected) {
        /** Seconds left at the current rate, or -1 before any face. */
        public long etaSeconds() {
            return facesPerSecond <= 0 ? -1 : Math.round((rows - done) / facesPerSecond);
        }
    }

    private final Gallery gallery;
    private final Supplier<FaceAnalyzer> analyzers;
    private final QualityFilter quality;
    private final AuditLog audit;
    private final Clock clock;

    public GalleryImporter(
            Gallery gallery,
            Supplier<FaceAnalyzer> analyzers,
            QualityFilter quality,
            AuditLog audit,
            Clock clock) {
        this.gallery = gallery;
        this.analyzers = analyzers;
        this.quality = quality;
        this.audit = audit;
        this.clock = clock;
    }

    /** A manifest row: its record, or why it could not be read. */
    public record Row(
            int line, String bookingId, String photo, GalleryRecord record, String error) {}

    /** Reads the manifest; a malformed row becomes a row with its error, never a failed import. */
    public static List<Row> manifest(Path file) {
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withColumnReordering(true);
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it =
                mapper.readerForMapOf(String.class).with(schema).readValues(file.toFile())) {
            int line = 1;
            while (it.hasNext()) {
                line++;
                Map<String, String> m = it.next();
                String id = m.getOrDefault("booking_id", "");
                String photo = m.getOrDefault("photo", "");
                try {
                    String purgeAt = m.getOrDefault("purge_at", "").trim();
                    GalleryRecord r =
                            new GalleryRecord(
                                    id.trim(),
                                    LocalDate.parse(m.getOrDefault("booking_date", "").trim()),
                                    m.getOrDefault("agency", "").trim(),
                                    m.getOrDefault("source_system", "").trim(),
                                    purgeAt.isEmpty()
                                            ? null
                                            : LocalDate.parse(purgeAt)
                                                    .atStartOfDay()
                                                    .toInstant(java.time.ZoneOffset.UTC),
                                    Boolean.parseBoolean(
                                            m.getOrDefault("purge_on_request", "false").trim()),
                                    m.getOrDefault("person_id", "").trim());
                    if (photo.isBlank()) {
                        throw new IllegalArgumentException("photo is required");
                    }
                    rows.add(new Row(line, id, photo.trim(), r, null));
                } catch (RuntimeException e) {
                    rows.add(new Row(line, id, photo, null, "MANIFEST_ERROR: " + e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest " + file, e);
        }
        return rows;
    }

    /**
     * Imports every row; calls {@code report} once per row (from worker threads, serialised) and
     * {@code progress} after each.
     */
    public Progress importAll(
            Path manifestFile,
            Path photos,
            String actor,
            int threads,
            Consumer<RowResult> report,
            Consumer<Progress> progress) {
        List<Row> rows = manifest(manifestFile);
        FaceAnalyzer probe = analyzers.get();
        String modelId = probe.embedderId();
        auditStart(manifestFile, rows.size(), modelId, actor, threads);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Map<String, Integer> rejected = new TreeMap<>();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger imported = new AtomicInteger();
        long start = System.nanoTime();
        ThreadLocal<FaceAnalyzer> local = new ThreadLocal<>();
        List<FaceAnalyzer> all =
                java.util.Collections.synchronizedList(new ArrayList<>(List.of(probe)));
        local.set(probe);
        Path root = photos.toAbsolutePath().normalize();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Row row : rows) {
                futures.add(
                        pool.submit(
                                () -> {
                                    FaceAnalyzer a = local.get();
                                    if (a == null) {
                                        a = analyzers.get();
                                        all.add(a);
                                        local.set(a);
                                    }
                                    RowResult r = importRow(row, root, actor, modelId, a, seen);
                                    synchronized (this) {
                                        done.incrementAndGet();
                                        if (r.status() == Status.IMPORTED) {
                                            if (imported.incrementAndGet() % 500 == 0) {
                                                synchronized (gallery) {
                                                    gallery.index().commit();
                                                }
                                            }
                                        }
                                        r.reasons()
                                                .forEach(
                                                        x ->
                                                                rejected.merge(
                                                                        x.split(":")[0],
                                                                        1,
                                                                        Integer::sum));
                                        report.accept(r);
                                        progress.accept(
                                                progress(
                                                        rows.size(),
                                                        done,
                                                        imported,
                                                        start,
                                                        rejected));
                                    }
                                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("import failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            synchronized (gallery) {
                gallery.index().commit();
            }
            all.stream().filter(a -> a != probe).forEach(FaceAnalyzer::close);
        }
        return progress(rows.size(), done, imported, start, rejected);
    }

    /**
     * Records the import in the audit log, before any row is written: the manifest's name and
     * SHA-256, its rows, the model and how many workers import it.
     */
    public void auditStart(Path manifestFile, int rows, String modelId, String actor, int workers) {
        audit.record(
                AuditEvents.event(AuditEventType.GALLERY_IMPORT, actor, clock.instant())
                        .setReason("gallery import")
                        .setDetails(
                                AuditEvents.details(
                                        "manifest", manifestFile.getFileName(),
                                        "manifestSha256",
                                                InvestigationSearch.sha256(read(manifestFile)),
                                        "rows", rows,
                                        "modelId", modelId,
                                        "threads", workers))
                        .build());
    }

    /**
     * One row, on this importer's own analyzer (made on first use, closed by {@link #close}): for a
     * caller that runs one importer per worker, such as a Flink subtask. Rows already in the
     * gallery are skipped, so a rerun imports only what is missing.
     */
    public RowResult importOne(Row row, Path photos, String actor) {
        if (own == null) {
            own = analyzers.get();
        }
        return importRow(
                row, photos.toAbsolutePath().normalize(), actor, own.embedderId(), own, ownSeen);
    }

    private FaceAnalyzer own;
    private final Set<String> ownSeen = ConcurrentHashMap.newKeySet();

    /** Commits what {@link #importOne} wrote and closes its analyzer. */
    @Override
    public void close() {
        synchronized (gallery) {
            gallery.index().commit();
        }
        if (own != null) {
            own.close();
            own = null;
        }
    }

    private static Progress progress(
            int rows,
            AtomicInteger done,
            AtomicInteger imported,
            long start,
            Map<String, Integer> rejected) {
        double s = (System.nanoTime() - start) / 1e9;
        return new Progress(
                rows,
                done.get(),
                imported.get(),
                s <= 0 ? 0 : done.get() / s,
                new TreeMap<>(rejected));
    }

    /** One row's result; a row that fails in any way is that row's result, never the import's. */
    private RowResult importRow(
            Row row,
            Path root,
            String actor,
            String modelId,
            FaceAnalyzer analyzer,
            Set<String> seen) {
        try {
            return importChecked(row, root, actor, modelId, analyzer, seen);
        } catch (RuntimeException e) {
            return reject(
                    row, "IMPORT_ERROR: " + AuditEvents.capped(String.valueOf(e.getMessage())));
        }
    }

    private RowResult importChecked(
            Row row,
            Path root,
            String actor,
            String modelId,
            FaceAnalyzer analyzer,
            Set<String> seen) {
        if (row.error() != null) {
            return new RowResult(
                    row.line(),
                    row.bookingId(),
                    row.photo(),
                    Status.REJECTED,
                    List.of(row.error()));
        }
        GalleryRecord r = row.record();
        if (r.purgeAt() != null && !r.purgeAt().isAfter(clock.instant())) {
            return reject(
                    row,
                    "RETENTION_PASSED: purge_at "
                            + r.purgeAt()
                            + " has passed; a booking past its retention is not imported");
        }
        String entryId = GalleryRecord.entryId(r.bookingId(), modelId);
        boolean done;
        synchronized (gallery) {
            done = gallery.index().entry(entryId).isPresent();
        }
        if (!seen.add(r.bookingId()) || done) {
            return new RowResult(
                    row.line(), r.bookingId(), row.photo(), Status.ALREADY_IMPORTED, List.of());
        }
        Path file = root.resolve(row.photo()).normalize();
        if (!file.startsWith(root)) {
            return reject(row, "UNREADABLE_IMAGE: the photo path leaves the photos directory");
        }
        RgbImage img;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
            img = RgbImage.decode(bytes);
        } catch (IOException | RuntimeException e) {
            return reject(row, UnindexedReason.UNREADABLE_IMAGE.name());
        }
        List<AnalyzedFace> faces = new ArrayList<>(analyzer.analyze(img));
        if (faces.isEmpty()) {
            return reject(row, UnindexedReason.NO_FACE_DETECTED.name());
        }
        faces.sort(Comparator.comparingDouble((AnalyzedFace f) -> f.box().area()).reversed());
        List<AnalyzedFace> usable =
                faces.stream().filter(f -> quality.check(f.quality()).isEmpty()).toList();
        if (usable.size() > 1) {
            return reject(row, UnindexedReason.SEVERAL_FACES.name());
        }
        if (usable.isEmpty()) {
            return new RowResult(
                    row.line(),
                    r.bookingId(),
                    row.photo(),
                    Status.REJECTED,
                    quality.check(faces.get(0).quality()).stream().map(Enum::name).toList());
        }
        AnalyzedFace face = usable.get(0);
        String faceId = InvestigationSearch.sha256(bytes).substring(0, 32);
        WatchlistEntry entry = r.toEntry(actor, clock.instant(), modelId);
        gallery.faces()
                .put(
                        entryId,
                        faceId,
                        new ReferenceFaces.Images(
                                FaceCrops.jpeg(FaceAligner.align(img, face.fivePoints()), 0.9f),
                                FaceCrops.jpeg(
                                        FaceCrops.crop(img, face.box(), 2 * FaceCrops.MAX_SIDE),
                                        0.9f)));
        synchronized (gallery) {
            gallery.index().upsert(entry, faceId, face.embedding());
        }
        return new RowResult(row.line(), r.bookingId(), row.photo(), Status.IMPORTED, List.of());
    }

    private static RowResult reject(Row row, String reason) {
        return new RowResult(
                row.line(), row.bookingId(), row.photo(), Status.REJECTED, List.of(reason));
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
