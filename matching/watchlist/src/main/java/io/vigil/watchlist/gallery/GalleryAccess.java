package io.vigil.watchlist.gallery;

import io.vigil.common.audit.AuditExport;
import io.vigil.common.audit.AuditLog;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.SyncProducer;
import io.vigil.common.kafka.Topic;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.CaseProbe;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceModels;
import io.vigil.watchlist.settings.GallerySettings;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The gallery, its importer and investigation search as the tools and the console run them, built
 * from their settings in one place. The daily quota counts the user's searches in the audit log, so
 * it holds across processes.
 */
public final class GalleryAccess implements AutoCloseable {
    private final Gallery gallery;
    private final FaceAnalyzer analyzer;
    private final Supplier<FaceAnalyzer> analyzers;
    private final GallerySettings settings;
    private final float floor;

    private GalleryAccess(
            Gallery gallery,
            FaceAnalyzer analyzer,
            Supplier<FaceAnalyzer> analyzers,
            GallerySettings settings,
            float floor) {
        this.gallery = gallery;
        this.analyzer = analyzer;
        this.analyzers = analyzers;
        this.settings = settings;
        this.floor = floor;
    }

    /** Loads the models and opens an embedded gallery: the explicit I/O step. */
    public static GalleryAccess open(ModelSettings models, GallerySettings settings) {
        return open(models, settings, null);
    }

    /**
     * The same for either backend; a Milvus gallery uses the watchlist's Milvus connection settings
     * ({@code watchlist}) with the gallery's own collection.
     */
    public static GalleryAccess open(
            ModelSettings models, GallerySettings settings, WatchlistSettings watchlist) {
        FaceModels m = models.resolve();
        if (m.embedder().threshold() == null) {
            throw new IllegalArgumentException(
                    "embedder " + m.embedderId() + " has no calibrated floor; search needs one");
        }
        float floor = settings.floor(m.embedder().threshold().floor());
        Supplier<FaceAnalyzer> analyzers =
                () -> new FaceAnalyzer(m, models.detectorSettings(), models.inferenceOptions());
        Gallery g = gallery(settings, watchlist, m.embedder().embeddingDimension());
        return new GalleryAccess(g, analyzers.get(), analyzers, settings, floor);
    }

    /**
     * The gallery alone, without models (an erasure needs no analyzer): embedded, or a Milvus
     * collection on the watchlist's connection ({@code watchlist}).
     */
    public static Gallery gallery(
            GallerySettings settings, WatchlistSettings watchlist, int dimension) {
        if (settings.onMilvus()) {
            if (watchlist == null) {
                throw new IllegalArgumentException("a Milvus gallery needs the Milvus settings");
            }
            return Gallery.openMilvus(
                    watchlist.milvusSettings(dimension).withCollection(settings.milvusCollection()),
                    settings.facesDir());
        }
        return Gallery.open(settings.dir(), settings.facesDir());
    }

    public Gallery gallery() {
        return gallery;
    }

    public float floor() {
        return floor;
    }

    /** The embedder the gallery's faces are embedded with. */
    public String embedderId() {
        return analyzer.embedderId();
    }

    public GalleryImporter importer(
            io.vigil.vision.face.QualityFilter quality, AuditLog audit, Clock clock) {
        return new GalleryImporter(gallery, analyzers, quality, audit, clock);
    }

    /**
     * Investigation search; probes are kept on the case-probes topic only when {@code
     * vigil.search.keep.probes} is set.
     */
    public InvestigationSearch search(
            InvestigationSearch.SearchCount count,
            AuditLog audit,
            Clock clock,
            KafkaSettings kafka) {
        Optional<InvestigationSearch.ProbeStore> probes = Optional.empty();
        if (settings.keepProbes()) {
            SyncProducer producer = new SyncProducer(kafka.kafka());
            producers.add(producer);
            String topic = kafka.topic(Topic.CASE_PROBES);
            probes =
                    Optional.of(
                            (searchId, caseNumber, actor, at, probe) ->
                                    producer.send(
                                            topic,
                                            searchId,
                                            new CaseProbe(
                                                    searchId,
                                                    caseNumber,
                                                    actor,
                                                    at,
                                                    InvestigationSearch.sha256(probe),
                                                    java.nio.ByteBuffer.wrap(probe)),
                                            at.toEpochMilli()));
        }
        return new InvestigationSearch(
                analyzer,
                gallery,
                floor,
                settings.maxK(),
                settings.dailyQuota(),
                count,
                audit,
                clock,
                probes);
    }

    private final List<SyncProducer> producers = new ArrayList<>();

    /** A user's searches since a time, from the audit topic (the quota's record of truth). */
    public static InvestigationSearch.SearchCount auditCount(KafkaSettings kafka) {
        return (actor, from) ->
                AuditExport.read(
                                kafka.kafka(),
                                kafka.topic(Topic.AUDIT),
                                from,
                                Instant.now().plusSeconds(1),
                                Set.of(AuditEventType.INVESTIGATION_SEARCH.name()))
                        .stream()
                        .filter(e -> e.getActor().equals(actor))
                        .count();
    }

    @Override
    public void close() {
        producers.forEach(SyncProducer::close);
        gallery.close();
        analyzer.close();
    }
}
