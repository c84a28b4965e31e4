package io.vigil.job.gallery;

import io.vigil.common.audit.AuditLog;
import io.vigil.vision.face.QualityFilter;
import io.vigil.watchlist.gallery.GalleryAccess;
import io.vigil.watchlist.gallery.GalleryImporter;
import io.vigil.watchlist.settings.GallerySettings;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Operator "import-photos": imports the manifest rows whose numbers it receives into the Milvus
 * gallery, with this subtask's own analyzer, and emits each row's report line. A row that cannot be
 * imported is a report line with its reasons, never a failed job.
 */
final class ImportPhotoFunction extends ProcessFunction<Long, String> {
    private static final long serialVersionUID = 1L;

    public static final String IMPORTED = "gallery-rows-imported";
    public static final String REJECTED = "gallery-rows-rejected";
    public static final String ALREADY = "gallery-rows-already-imported";

    private final HashMap<String, String> settings;
    private final String manifest;
    private final String photos;
    private final String actor;

    private transient List<GalleryImporter.Row> rows;
    private transient GalleryAccess access;
    private transient GalleryImporter importer;
    private transient Map<GalleryImporter.Status, LongCounter> counters;

    ImportPhotoFunction(
            HashMap<String, String> settings, String manifest, String photos, String actor) {
        this.settings = settings;
        this.manifest = manifest;
        this.photos = photos;
        this.actor = actor;
    }

    /** The quality an imported face must have: the watchlist's enrolment filter. */
    static QualityFilter quality(Map<String, String> settings) {
        return QualityFilter.valueOf(new WatchlistSettings(settings).qualityFilter());
    }

    @Override
    public void open(OpenContext openContext) {
        rows = GalleryImporter.manifest(Path.of(manifest));
        access =
                GalleryAccess.open(
                        new ModelSettings(settings),
                        new GallerySettings(settings),
                        new WatchlistSettings(settings));
        // The import was audited by the launcher before the job was submitted.
        importer = access.importer(quality(settings), AuditLog.logging(), Clock.systemUTC());
        counters = new java.util.EnumMap<>(GalleryImporter.Status.class);
        counters.put(GalleryImporter.Status.IMPORTED, getRuntimeContext().getLongCounter(IMPORTED));
        counters.put(GalleryImporter.Status.REJECTED, getRuntimeContext().getLongCounter(REJECTED));
        counters.put(
                GalleryImporter.Status.ALREADY_IMPORTED,
                getRuntimeContext().getLongCounter(ALREADY));
    }

    @Override
    public void processElement(Long row, Context ctx, Collector<String> out) {
        GalleryImporter.RowResult r =
                importer.importOne(rows.get(row.intValue()), Path.of(photos), actor);
        counters.get(r.status()).add(1L);
        out.collect(r.reportLine());
    }

    @Override
    public void close() {
        if (importer != null) {
            importer.close();
        }
        if (access != null) {
            access.close();
        }
    }
}
