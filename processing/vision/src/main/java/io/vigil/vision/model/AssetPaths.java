package io.vigil.vision.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the asset cache that deploy/bin/fetch-assets.sh fills: system property {@code
 * vigil.assets}, else environment {@code VIGIL_ASSETS}, else ~/.cache/vigil/assets.
 */
public final class AssetPaths {
    private AssetPaths() {}

    public static Path root() {
        String prop = System.getProperty("vigil.assets");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("VIGIL_ASSETS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "vigil", "assets");
    }

    /** A media file from the cache, with a message that says how to get it when it is missing. */
    public static Path media(String name) {
        Path p = root().resolve("media").resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: run deploy/bin/fetch-assets.sh");
        }
        return p;
    }
}
