package io.vigil.watchlist.settings;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Galleries of booking photos and investigation search over them. */
public final class GallerySettings extends AbstractConfig {
    public static final String GALLERY_DIR = "vigil.gallery.dir";
    public static final String GALLERY_FACES_DIR = "vigil.gallery.faces.dir";
    public static final String SEARCH_FLOOR = "vigil.search.floor";
    public static final String SEARCH_K_MAX = "vigil.search.k.max";
    public static final String SEARCH_DAILY_QUOTA = "vigil.search.daily.quota";
    public static final String IMPORT_THREADS = "vigil.gallery.import.threads";
    public static final String KEEP_PROBES = "vigil.search.keep.probes";
    public static final String GALLERY_BACKEND = "vigil.gallery.backend";
    public static final String GALLERY_MILVUS_COLLECTION = "vigil.gallery.milvus.collection";

    /** Milvus collections with this prefix are galleries, and no watchlist may use one. */
    public static final String MILVUS_GALLERY_PREFIX = "gallery_";

    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            GALLERY_DIR,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "Directory of the gallery's embedded index. A gallery is searched only"
                                    + " by investigation search; the live job refuses it as a"
                                    + " watchlist.")
                    .define(
                            GALLERY_BACKEND,
                            Type.STRING,
                            "lucene",
                            ConfigDef.CaseInsensitiveValidString.in("lucene", "milvus"),
                            Importance.HIGH,
                            "Where the gallery lives: its own embedded index (vigil.gallery.dir) or"
                                    + " a Milvus collection (vigil.gallery.milvus.collection, on"
                                    + " the watchlist's Milvus connection settings).")
                    .define(
                            GALLERY_MILVUS_COLLECTION,
                            Type.STRING,
                            "gallery_bookings",
                            ConfigDef.LambdaValidator.with(
                                    (name, value) -> {
                                        if (!String.valueOf(value)
                                                .startsWith(MILVUS_GALLERY_PREFIX)) {
                                            throw new ConfigException(
                                                    name,
                                                    value,
                                                    "must start with " + MILVUS_GALLERY_PREFIX);
                                        }
                                    },
                                    () -> MILVUS_GALLERY_PREFIX + "*"),
                            Importance.MEDIUM,
                            "The gallery's Milvus collection; names start with "
                                    + MILVUS_GALLERY_PREFIX
                                    + ", which no watchlist may use.")
                    .define(
                            GALLERY_FACES_DIR,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            "Face crops of the gallery's photos, shown with candidates. Default:"
                                    + " <gallery dir>-faces.")
                    .define(
                            SEARCH_FLOOR,
                            Type.DOUBLE,
                            -1.0,
                            Importance.HIGH,
                            "Similarity below which a gallery entry is no candidate. Default (-1):"
                                    + " the embedder's floor; never lower than it.")
                    .define(
                            SEARCH_K_MAX,
                            Type.INT,
                            50,
                            Range.between(1, 50),
                            Importance.LOW,
                            "Most candidates one search may ask for.")
                    .define(
                            SEARCH_DAILY_QUOTA,
                            Type.INT,
                            50,
                            Range.between(1, 10_000),
                            Importance.HIGH,
                            "Searches one user may make per UTC day; further ones are refused"
                                    + " and audited.")
                    .define(
                            IMPORT_THREADS,
                            Type.INT,
                            0,
                            Range.between(0, 256),
                            Importance.LOW,
                            "Threads of a gallery import (0: every core).")
                    .define(
                            KEEP_PROBES,
                            Type.BOOLEAN,
                            false,
                            Importance.HIGH,
                            "Keep each search's probe for the case file on the case-probes topic"
                                    + " (vigil.retention.case-probes.ms). Off by default: probes"
                                    + " are never stored.");

    public GallerySettings(Map<?, ?> props) {
        super(CONFIG, props, false);
    }

    /**
     * The gallery's directory.
     *
     * @throws ConfigException naming the setting when it is not set
     */
    public Path dir() {
        String d = getString(GALLERY_DIR);
        if (d.isBlank()) {
            throw new ConfigException(GALLERY_DIR, "", "is required for galleries and search");
        }
        return Path.of(d);
    }

    /** Whether a gallery is configured at all: a directory, or the Milvus backend. */
    public boolean configured() {
        return onMilvus() || !getString(GALLERY_DIR).isBlank();
    }

    public boolean onMilvus() {
        return "milvus".equalsIgnoreCase(getString(GALLERY_BACKEND));
    }

    public String milvusCollection() {
        return getString(GALLERY_MILVUS_COLLECTION);
    }

    public Path facesDir() {
        String d = getString(GALLERY_FACES_DIR);
        if (!d.isBlank()) {
            return Path.of(d);
        }
        if (onMilvus()) {
            throw new ConfigException(
                    GALLERY_FACES_DIR, "", "is required with " + GALLERY_BACKEND + "=milvus");
        }
        Path g = dir().toAbsolutePath();
        return g.resolveSibling(g.getFileName() + "-faces");
    }

    /**
     * The floor in force for an embedder whose own floor is {@code modelFloor}.
     *
     * @throws ConfigException when the setting is below the model's floor
     */
    public float floor(double modelFloor) {
        double set = getDouble(SEARCH_FLOOR);
        if (set < 0) {
            return (float) modelFloor;
        }
        if (set < modelFloor) {
            throw new ConfigException(
                    SEARCH_FLOOR, set, "is below the embedder's floor " + (float) modelFloor);
        }
        return (float) set;
    }

    public int maxK() {
        return getInt(SEARCH_K_MAX);
    }

    public int dailyQuota() {
        return getInt(SEARCH_DAILY_QUOTA);
    }

    public boolean keepProbes() {
        return getBoolean(KEEP_PROBES);
    }

    public int importThreads() {
        int t = getInt(IMPORT_THREADS);
        return t == 0 ? Runtime.getRuntime().availableProcessors() : t;
    }
}
