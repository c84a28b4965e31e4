package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.tools.Vigil;
import io.vigil.vision.model.AssetPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every photo format Vigil reads (JPEG, PNG, WebP) through the entry points users run: enrolment of
 * a folder with {@code vigil watchlist enroll}, and the labelled folder of {@code vigil eval
 * --images}. (Gallery import and investigation search take PNG and WebP in their ITCases.)
 */
class PhotoFormatsTest {

    @Test
    void aFolderOfPngAndWebpPhotosIsEnrolledWhole(@TempDir Path tmp) throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        TestPhotos.png(AssetPaths.media("cage.jpg"), photos.resolve("1.png"));
        TestPhotos.webp(AssetPaths.media("cage2_crop.jpg"), photos.resolve("2.webp"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Vigil.run(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        "watchlist",
                        "--index-dir",
                        tmp.resolve("index").toString(),
                        "--set",
                        "vigil.audit.sink=log",
                        "enroll",
                        "nicolas.cage",
                        photos.toString(),
                        "--by",
                        "alice",
                        "--legal-basis",
                        "CASE-1",
                        "--purpose",
                        "missing persons",
                        "--expires-in-days",
                        "10",
                        "--quality",
                        "low");
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(report.path("photos").size()).as(report.toString()).isEqualTo(2);
        for (JsonNode photo : report.path("photos")) {
            assertThat(photo.path("indexed").size()).as(photo.toString()).isEqualTo(1);
        }
    }
}
