package io.vigil.watchlist.gallery;

import io.vigil.index.VectorIndex;
import io.vigil.index.lucene.LuceneVectorIndex;
import io.vigil.index.milvus.MilvusSettings;
import io.vigil.index.milvus.MilvusVectorIndex;
import io.vigil.watchlist.reference.ReferenceFaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A gallery of booking photos: its own embedded vector index, marked as a gallery so that it can
 * never be configured as a watchlist (the live job refuses it: matching every passer-by against
 * booking photos is the mass surveillance Vigil is built to avoid), and its own store of face crops
 * shown to the investigator.
 */
public final class Gallery implements AutoCloseable {
    /** The marker file in a gallery's index directory; Lucene leaves files it does not own. */
    public static final String MARKER = "VIGIL-GALLERY";

    private final VectorIndex index;
    private final ReferenceFaces faces;

    private Gallery(VectorIndex index, ReferenceFaces faces) {
        this.index = index;
        this.faces = faces;
    }

    /** Opens (creating if needed) the gallery at {@code dir}, its faces at {@code facesDir}. */
    public static Gallery open(Path dir, Path facesDir) {
        try {
            Files.createDirectories(dir);
            Path marker = dir.resolve(MARKER);
            boolean index;
            try (var files = Files.list(dir)) {
                index = files.anyMatch(f -> f.getFileName().toString().startsWith("segments"));
            }
            if (index && !Files.exists(marker)) {
                throw new IllegalArgumentException(
                        dir
                                + " holds a watchlist index, not a gallery; give the gallery its"
                                + " own directory");
            }
            if (!Files.exists(marker)) {
                Files.writeString(
                        marker,
                        "A Vigil gallery of booking photos: searched only by investigation search,"
                                + " never used as a watchlist.\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the gallery at " + dir, e);
        }
        return new Gallery(LuceneVectorIndex.open(dir), new ReferenceFaces(facesDir));
    }

    /** A gallery in a Milvus collection (its name marks it: {@code gallery_*}). */
    public static Gallery openMilvus(MilvusSettings settings, Path facesDir) {
        if (!settings.collection()
                .startsWith(io.vigil.watchlist.settings.GallerySettings.MILVUS_GALLERY_PREFIX)) {
            throw new IllegalArgumentException(
                    "a gallery's Milvus collection must start with "
                            + io.vigil.watchlist.settings.GallerySettings.MILVUS_GALLERY_PREFIX);
        }
        return new Gallery(MilvusVectorIndex.connect(settings), new ReferenceFaces(facesDir));
    }

    /** True when {@code dir} holds a gallery. */
    public static boolean isGallery(Path dir) {
        return Files.exists(dir.resolve(MARKER));
    }

    public VectorIndex index() {
        return index;
    }

    public ReferenceFaces faces() {
        return faces;
    }

    @Override
    public void close() {
        index.close();
    }
}
