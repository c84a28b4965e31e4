package io.vigil.job.gallery;

import io.vigil.common.audit.AuditLog;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.config.Settings;
import io.vigil.common.kafka.KafkaSettings;
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
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A booking-photo gallery imported on a Flink cluster: the manifest's rows are spread over the
 * subtasks of "import-photos", each with its own face analyzer and its own connection to the
 * gallery's Milvus collection, and every row's outcome goes to "import-report" (one JSONL line, as
 * {@code vigil gallery import} writes it). The manifest and the photos must be readable at the same
 * paths on every TaskManager (a shared volume).
 *
 * <p>The rows travel as line numbers: each subtask reads the manifest itself, so no photo, face or
 * record crosses the network between operators. A rerun imports only what is missing (ids derive
 * from the booking id). Only a Milvus gallery can be imported this way: an embedded gallery is one
 * process's directory, imported by {@code vigil gallery import}.
 *
 * <p>Sources and sinks come in through the constructor; {@link #main} audits the import, then wires
 * the production report sink.
 */
public final class GalleryImportJob {
    public static final String JOB_NAME = "vigil-gallery-import";

    private final Map<String, String> settings;
    private final Path manifest;
    private final Path photos;
    private final String actor;
    private final int rows;
    private final Sink<String> report;

    /**
     * @param settings the gallery, model and Milvus settings, as {@code vigil gallery} reads them
     * @param rows the manifest's rows ({@link GalleryImporter#manifest})
     */
    public GalleryImportJob(
            Map<String, String> settings,
            Path manifest,
            Path photos,
            String actor,
            int rows,
            Sink<String> report) {
        if (!new GallerySettings(settings).onMilvus()) {
            throw new IllegalArgumentException(
                    GallerySettings.GALLERY_BACKEND
                            + " must be milvus for a cluster import: an embedded gallery is one"
                            + " process's directory, imported with `vigil gallery import`");
        }
        if (rows < 1) {
            throw new IllegalArgumentException("the manifest " + manifest + " has no rows");
        }
        this.settings = Map.copyOf(settings);
        this.manifest = manifest;
        this.photos = photos;
        this.actor = actor;
        this.rows = rows;
        this.report = report;
    }

    public void build(StreamExecutionEnvironment env) {
        env.fromSource(
                        new NumberSequenceSource(0, rows - 1L),
                        WatermarkStrategy.noWatermarks(),
                        "manifest-rows")
                .uid("manifest-rows")
                .process(
                        new ImportPhotoFunction(
                                new HashMap<>(settings),
                                manifest.toString(),
                                photos.toString(),
                                actor))
                .name("import-photos")
                .uid("import-photos")
                .sinkTo(report)
                .name("import-report")
                .uid("import-report")
                .setParallelism(1);
    }

    public JobExecutionResult execute(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.execute(JOB_NAME);
    }

    /**
     * Usage: GalleryImportJob CONFIG.properties MANIFEST.csv PHOTOS_DIR ACTOR REPORT_DIR; VIGIL_*
     * environment variables override the file.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException(
                    "usage: GalleryImportJob CONFIG.properties MANIFEST.csv PHOTOS_DIR ACTOR"
                            + " REPORT_DIR");
        }
        Map<String, Object> props =
                Settings.load(
                        Path.of(args[0]),
                        System.getenv(),
                        Map.of(),
                        KafkaSettings.CONFIG,
                        AuditSettings.CONFIG,
                        ModelSettings.CONFIG,
                        WatchlistSettings.CONFIG,
                        GallerySettings.CONFIG);
        Map<String, String> settings = new HashMap<>();
        props.forEach((k, v) -> settings.put(k, String.valueOf(v)));
        Path manifest = Path.of(args[1]);
        List<GalleryImporter.Row> rows = GalleryImporter.manifest(manifest);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // The audit record is durable before the first row is written.
        try (AuditLog.Closeable audit =
                        AuditLog.open(
                                new AuditSettings(props),
                                new KafkaSettings(props),
                                "gallery-import");
                GalleryAccess access =
                        GalleryAccess.open(
                                new ModelSettings(props),
                                new GallerySettings(props),
                                new WatchlistSettings(props))) {
            access.importer(ImportPhotoFunction.quality(settings), audit, Clock.systemUTC())
                    .auditStart(
                            manifest,
                            rows.size(),
                            access.embedderId(),
                            args[3],
                            env.getParallelism());
        }
        new GalleryImportJob(
                        settings,
                        manifest,
                        Path.of(args[2]),
                        args[3],
                        rows.size(),
                        new ReportFileSink(Path.of(args[4])))
                .execute(env);
    }
}
