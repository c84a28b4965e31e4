package io.vigil.watchlist.settings;

import io.milvus.v2.common.IndexParam;
import io.vigil.index.lucene.LuceneSearch;
import io.vigil.index.milvus.MilvusSettings;
import io.vigil.index.spec.IndexSpec;
import io.vigil.watchlist.gallery.Gallery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where the watchlist lives (an embedded Lucene directory or a Milvus collection), how it is
 * searched, and its enrolment rules. Parsing and validation only; nothing is opened.
 */
public final class WatchlistSettings extends AbstractConfig {
    public static final String WATCHLIST_BACKEND = "vigil.watchlist.backend";
    public static final String WATCHLIST_INDEX_DIR = "vigil.watchlist.index.dir";
    public static final String WATCHLIST_REFERENCES_DIR = "vigil.watchlist.references.dir";
    public static final String WATCHLIST_SEARCH_EXACT = "vigil.watchlist.search.exact";
    public static final String WATCHLIST_SEARCH_THREADS = "vigil.watchlist.search.threads";
    public static final String WATCHLIST_MAX_LIFETIME_DAYS = "vigil.watchlist.max.lifetime.days";
    public static final String WATCHLIST_QUALITY_FILTER = "vigil.watchlist.quality.filter";
    public static final String MILVUS_URI = "vigil.milvus.uri";
    public static final String MILVUS_TOKEN = "vigil.milvus.token";
    public static final String MILVUS_TRUST_CERT = "vigil.milvus.trust.cert.file";
    public static final String MILVUS_DATABASE = "vigil.milvus.database";
    public static final String MILVUS_COLLECTION = "vigil.milvus.collection";
    public static final String MILVUS_CONSISTENCY = "vigil.milvus.consistency";
    public static final String MILVUS_INDEX_TYPE = "vigil.milvus.index.type";
    public static final String MILVUS_SEARCH_EF = "vigil.milvus.search.ef";

    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            WATCHLIST_BACKEND,
                            Type.STRING,
                            "lucene",
                            ConfigDef.CaseInsensitiveValidString.in("lucene", "milvus"),
                            Importance.HIGH,
                            "Where the watchlist lives: the embedded Lucene index (one machine) or"
                                    + " Milvus (a cluster).")
                    .define(
                            WATCHLIST_INDEX_DIR,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "Directory of the embedded (Lucene) watchlist index; required with the"
                                + " lucene backend. The enroller writes it, the job searches it and"
                                + " sees each committed change on its next search.")
                    .define(
                            WATCHLIST_REFERENCES_DIR,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "Directory of the enrolled reference faces (an aligned crop and a wider"
                                + " crop per indexed face) that reviewers compare alerts with;"
                                + " shared by the tools and the console, never by the job. Default"
                                + " with the lucene backend: beside the index (<index"
                                + " dir>-references); required with milvus.")
                    .define(
                            WATCHLIST_SEARCH_EXACT,
                            Type.BOOLEAN,
                            false,
                            Importance.LOW,
                            "Lucene backend: compare every enrolled face with every query, instead"
                                + " of skipping those whose sketch puts them below the threshold"
                                + " (which may miss up to 0.2 % of faces lying exactly at it)."
                                + " Slower beyond about 100k faces; see docs/benchmarks.md,"
                                + " watchlist search benchmark.")
                    .define(
                            WATCHLIST_SEARCH_THREADS,
                            Type.INT,
                            1,
                            Range.between(1, LuceneSearch.MAX_THREADS),
                            Importance.LOW,
                            "Lucene backend: threads scanning one search, on index segments of"
                                    + " 100k faces or more. Above 1 it lowers search latency on"
                                    + " large watchlists while cores are idle; when the job's slots"
                                    + " keep every core busy it only moves work.")
                    .define(
                            WATCHLIST_MAX_LIFETIME_DAYS,
                            Type.INT,
                            365,
                            Range.between(1, 3650),
                            Importance.HIGH,
                            "Longest expiry an enrolment may be given, in days from enrolment.")
                    .define(
                            WATCHLIST_QUALITY_FILTER,
                            Type.STRING,
                            "MEDIUM",
                            ConfigDef.CaseInsensitiveValidString.in(
                                    "NONE", "LOW", "MEDIUM", "HIGH"),
                            Importance.MEDIUM,
                            "Default quality filter of enrolment photos (face size, sharpness,"
                                    + " brightness, pose, detector confidence).")
                    .define(
                            MILVUS_URI,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "Milvus endpoint (http://host:19530); required with the milvus"
                                    + " backend.")
                    .define(
                            MILVUS_TOKEN,
                            Type.PASSWORD,
                            "",
                            Importance.MEDIUM,
                            "Milvus user:password or API key.")
                    .define(
                            MILVUS_TRUST_CERT,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            "PEM certificate or CA trusted for an https:// Milvus uri (a private"
                                    + " CA); empty: the JVM's trusted authorities.")
                    .define(
                            MILVUS_DATABASE,
                            Type.STRING,
                            "",
                            Importance.LOW,
                            "Milvus database; empty for the default one.")
                    .define(
                            MILVUS_COLLECTION,
                            Type.STRING,
                            "vigil_watchlist",
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Milvus collection of watchlist faces; created with its indexes if"
                                    + " absent.")
                    .define(
                            MILVUS_CONSISTENCY,
                            Type.STRING,
                            "STRONG",
                            ConfigDef.CaseInsensitiveValidString.in(
                                    "STRONG", "BOUNDED", "SESSION", "EVENTUALLY"),
                            Importance.MEDIUM,
                            "Consistency level of searches. STRONG: a removal stops matching on the"
                                    + " next frame. BOUNDED: cheaper, but changes may take a few"
                                    + " seconds to apply.")
                    .define(
                            MILVUS_INDEX_TYPE,
                            Type.STRING,
                            "HNSW",
                            ConfigDef.CaseInsensitiveValidString.in("HNSW", "IVF_FLAT"),
                            Importance.LOW,
                            "Milvus vector index type.")
                    .define(
                            MILVUS_SEARCH_EF,
                            Type.INT,
                            64,
                            Range.between(1, 32768),
                            Importance.LOW,
                            "HNSW ef at search time (candidates kept).");

    public WatchlistSettings(Map<?, ?> props) {
        super(CONFIG, props, false);
        if (backend() == IndexSpec.Backend.LUCENE && getString(WATCHLIST_INDEX_DIR).isBlank()) {
            throw new ConfigException(
                    WATCHLIST_INDEX_DIR, "", "is required when " + WATCHLIST_BACKEND + "=lucene");
        }
        if (backend() == IndexSpec.Backend.MILVUS) {
            try {
                MilvusSettings.checkConnection(
                        getString(MILVUS_URI),
                        getString(MILVUS_COLLECTION),
                        getString(MILVUS_TRUST_CERT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        MILVUS_URI + " / " + MILVUS_COLLECTION,
                        getString(MILVUS_URI),
                        e.getMessage());
            }
            if (getString(MILVUS_COLLECTION).startsWith(GallerySettings.MILVUS_GALLERY_PREFIX)) {
                throw new ConfigException(
                        MILVUS_COLLECTION,
                        getString(MILVUS_COLLECTION),
                        "names a gallery of booking photos (collections "
                                + GallerySettings.MILVUS_GALLERY_PREFIX
                                + "* are galleries): a gallery is searched only by"
                                + " investigation search with a case number, never matched"
                                + " against every face on every camera");
            }
        }
    }

    public IndexSpec.Backend backend() {
        return IndexSpec.Backend.valueOf(getString(WATCHLIST_BACKEND).toUpperCase(Locale.ROOT));
    }

    public Path indexDir() {
        return Path.of(getString(WATCHLIST_INDEX_DIR));
    }

    /**
     * Refuses a gallery of booking photos as a watchlist (reads the index directory): matching
     * every passer-by on every camera against booking photos is the mass surveillance Vigil is
     * built to avoid, so a gallery is searched only by investigation search, with a case number.
     *
     * @throws ConfigException naming the setting
     */
    public void refuseGallery() {
        if (backend() == IndexSpec.Backend.LUCENE
                && java.nio.file.Files.exists(indexDir().resolve(Gallery.MARKER))) {
            throw new ConfigException(
                    WATCHLIST_INDEX_DIR,
                    getString(WATCHLIST_INDEX_DIR),
                    "is a gallery of booking photos, not a watchlist: a gallery is searched only"
                            + " by investigation search with a case number (vigil search), never"
                            + " matched against every face on every camera");
        }
    }

    /**
     * Where the reference faces live.
     *
     * @throws ConfigException naming the setting when it is needed and not set
     */
    public Path referencesDir() {
        String set = getString(WATCHLIST_REFERENCES_DIR);
        if (!set.isBlank()) {
            return Path.of(set);
        }
        if (backend() == IndexSpec.Backend.LUCENE) {
            Path index = indexDir().toAbsolutePath();
            return index.resolveSibling(index.getFileName() + "-references");
        }
        throw new ConfigException(
                WATCHLIST_REFERENCES_DIR,
                "",
                "is required with "
                        + WATCHLIST_BACKEND
                        + "=milvus: a volume the tools and the"
                        + " console share");
    }

    /** The configured index for embeddings of {@code dimension} (Lucene directory or Milvus). */
    public IndexSpec index(int dimension) {
        return backend() == IndexSpec.Backend.LUCENE
                ? IndexSpec.lucene(
                        indexDir(),
                        new LuceneSearch(
                                getBoolean(WATCHLIST_SEARCH_EXACT),
                                getInt(WATCHLIST_SEARCH_THREADS)))
                : IndexSpec.milvus(milvusSettings(dimension));
    }

    public MilvusSettings milvusSettings(int dimension) {
        MilvusSettings d = MilvusSettings.defaults(getString(MILVUS_URI), dimension);
        return new MilvusSettings(
                d.uri(),
                getPassword(MILVUS_TOKEN).value(),
                getString(MILVUS_DATABASE),
                getString(MILVUS_COLLECTION),
                d.dimension(),
                MilvusSettings.parseConsistency(getString(MILVUS_CONSISTENCY)),
                IndexParam.IndexType.valueOf(getString(MILVUS_INDEX_TYPE).toUpperCase(Locale.ROOT)),
                d.hnswM(),
                d.hnswEfConstruction(),
                getInt(MILVUS_SEARCH_EF),
                d.ivfNlist(),
                d.ivfNprobe(),
                getString(MILVUS_TRUST_CERT));
    }

    public Duration maxLifetime() {
        return Duration.ofDays(getInt(WATCHLIST_MAX_LIFETIME_DAYS));
    }

    public String qualityFilter() {
        return getString(WATCHLIST_QUALITY_FILTER).toUpperCase(Locale.ROOT);
    }
}
