package io.vigil.watchlist;

import io.vigil.common.audit.AuditLog;
import io.vigil.index.VectorIndex;
import io.vigil.index.spec.IndexSpec;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceModels;
import io.vigil.watchlist.reference.ReferenceFaces;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * The watchlist service as the tools, the console and the local stack run it, built from their
 * settings in one place: the configured models, index, lifetime and audit log.
 */
public final class WatchlistAccess implements AutoCloseable {
    private final FaceAnalyzer analyzer;
    private final IndexSpec index;
    private final ReferenceFaces references;
    private final Duration maxLifetime;
    private final AuditLog audit;
    private final Clock clock;

    private WatchlistAccess(
            FaceAnalyzer analyzer,
            IndexSpec index,
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

    /** Reads the model manifests and loads the models: the explicit I/O step. */
    public static WatchlistAccess open(
            ModelSettings models, WatchlistSettings settings, AuditLog audit, Clock clock) {
        settings.refuseGallery();
        FaceModels m = models.resolve();
        FaceAnalyzer analyzer =
                new FaceAnalyzer(m, models.detectorSettings(), models.inferenceOptions());
        return new WatchlistAccess(
                analyzer,
                settings.index(m.embedder().embeddingDimension()),
                new ReferenceFaces(settings.referencesDir()),
                settings.maxLifetime(),
                audit,
                clock);
    }

    /** The store the watchlist lives in, as a receipt names it. */
    public String store() {
        return index.toString();
    }

    /**
     * Runs an operation with the index open for it alone, so other writers (the tools, another
     * console) take turns on an embedded index. One operation at a time: the service owns the
     * analyzer's sessions.
     */
    public synchronized <T> T with(Function<WatchlistService, T> operation) {
        try (VectorIndex open = index.open(false)) {
            return operation.apply(
                    new WatchlistService(analyzer, open, references, maxLifetime, audit, clock));
        }
    }

    @Override
    public void close() {
        analyzer.close();
    }
}
