package io.vigil.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The demo's watchlist: the person of franck.mp4 from one still (frame 2159, 90 s into the video;
 * the demo streams an earlier stretch, so the still is never itself a streamed frame) and a few
 * other people from the sample media package. Built from the asset cache; photos are never
 * committed.
 */
public final class DemoWatchlist {
    static final Map<String, List<String>> PEOPLE =
            Map.of(
                    "demo-franck", List.of("franck_02159.jpg"),
                    "demo-cage", List.of("cage.jpg", "cage2_crop.jpg"),
                    "demo-audrey", List.of("audrey.jpg", "audrey_crop.jpg"),
                    "demo-connery", List.of("SeanConnery.jpg", "sean_guru2_crop.jpg"),
                    "demo-obama", List.of("obama4_crop.jpg"));

    private DemoWatchlist() {}

    /** Lays out {@code <external-id>/<photo>} under {@code target} from {@code assets/media}. */
    public static Path prepare(Path assets, Path target) {
        try {
            for (Map.Entry<String, List<String>> person : PEOPLE.entrySet()) {
                Path dir = Files.createDirectories(target.resolve(person.getKey()));
                for (String photo : person.getValue()) {
                    Path src = assets.resolve("media").resolve(photo);
                    if (!Files.isRegularFile(src)) {
                        throw new IllegalStateException(
                                src + " is missing: run deploy/bin/fetch-assets.sh");
                    }
                    Files.copy(src, dir.resolve(photo), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
