package io.vigil.local.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.job.PipelineConfig;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.calibration.Calibration;
import io.vigil.watchlist.settings.MatchSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil calibrate} and {@code vigil eval} on the real sample set: real photos and videos,
 * real models. The video evaluation is cut to the first 20 s of each video to stay quick.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvalCliTest {
    private Path work;
    private String evalOut;
    private int evalCode;

    @BeforeAll
    void runEval(@TempDir Path dir) {
        work = dir;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        evalCode =
                new EvalCli(new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
                        .run(
                                new String[] {
                                    "eval",
                                    "--sample",
                                    "--out",
                                    work.resolve("eval").toString(),
                                    "--max-seconds",
                                    "20"
                                });
        evalOut = out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void calibrateWritesAThresholdTheJobAccepts() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path file = work.resolve("cal.properties");
        int code =
                new EvalCli(new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
                        .run(
                                new String[] {
                                    "calibrate",
                                    "--images",
                                    work.resolve("eval/sample/images").toString(),
                                    "--target-fmr",
                                    "0.01",
                                    "--out",
                                    file.toString()
                                });
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        Calibration c = Calibration.load(file);
        assertThat(c.people()).isGreaterThanOrEqualTo(20);
        assertThat(c.impostorPairs()).isGreaterThan(500);
        assertThat(c.fmrAtThreshold()).isLessThanOrEqualTo(0.01);
        // FMR 1e-2 is looser than the default embedder's built-in threshold.
        assertThat(c.threshold())
                .isBetween(
                        0.0,
                        io.vigil.vision.model.ModelCatalog.builtIn(
                                        io.vigil.vision.model.ModelCatalog.DEFAULT_EMBEDDER)
                                .threshold()
                                .value());
        assertThat(c.floor()).isLessThanOrEqualTo(c.threshold());
        // The default model's built-in floor still applies over a lower calibration.
        PipelineConfig config =
                PipelineConfig.load(
                        null,
                        Map.of(),
                        Map.of(
                                WatchlistSettings.WATCHLIST_INDEX_DIR, work.toString(),
                                MatchSettings.MATCH_CALIBRATION_FILE, file.toString()));
        assertThat(config.matchThreshold())
                .isGreaterThanOrEqualTo(config.faceModels().embedder().threshold().floor())
                .isGreaterThanOrEqualTo(c.threshold());
    }

    @Test
    void evalReportsImageAccuracyAtTheThresholdInForce() throws Exception {
        assertThat(evalCode).as(evalOut).isZero();
        JsonNode report = new ObjectMapper().readTree(work.resolve("eval/report.json").toFile());
        JsonNode images = report.get("images");
        assertThat(images.get("rank1Probes").asInt()).isGreaterThan(20);
        assertThat(images.get("rank1Correct").asInt()).isEqualTo(images.get("rank1Probes").asInt());
        assertThat(images.get("fmr").asDouble()).isZero();
        assertThat(images.get("fnmr").asDouble()).isLessThan(0.05);
        assertThat(images.get("hardestImpostorPairs")).hasSize(5);
        assertThat(evalOut).contains("rank-1 identification").contains("| target FMR |");
        BufferedImage png = ImageIO.read(work.resolve("eval/eval.png").toFile());
        assertThat(png.getWidth()).isEqualTo(1200);
        assertThat(png.getHeight()).isEqualTo(500);
    }

    @Test
    void evalReportsExpectedFalseAlertsThatGrowWithTheWatchlist() throws Exception {
        JsonNode rows =
                new ObjectMapper()
                        .readTree(work.resolve("eval/report.json").toFile())
                        .get("falseAlerts");
        assertThat(rows.size()).isGreaterThanOrEqualTo(3);
        double previous = Double.MAX_VALUE;
        for (JsonNode row : rows) {
            JsonNode bySize = row.get("falseAlertsPerCameraHour");
            double small = bySize.get("100").get("upper95").asDouble();
            double large = bySize.get("10000").get("upper95").asDouble();
            assertThat(large).isGreaterThanOrEqualTo(small);
            assertThat(bySize.get("100").get("expected").asDouble()).isLessThanOrEqualTo(small);
            // Rows go up in threshold: fewer false alerts each time.
            assertThat(small).isLessThanOrEqualTo(previous);
            previous = small;
        }
        assertThat(evalOut)
                .contains("Expected false alerts per camera-hour")
                .contains("(in force)");
    }

    @Test
    void evalOnVideoRaisesOneAlertForTheEnrolledPersonAndNoneForTheOther() throws Exception {
        JsonNode videos =
                new ObjectMapper()
                        .readTree(work.resolve("eval/report.json").toFile())
                        .get("videos");
        assertThat(videos).hasSize(3);
        JsonNode franck = videos.get(0);
        assertThat(franck.get("label").asText()).isEqualTo("demo-franck");
        assertThat(franck.get("frames").asInt()).isEqualTo(40);
        // Before consensus nearly every frame would alert; after it, one alert for the pass.
        assertThat(franck.get("matchingFaces").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(franck.get("alerts").asInt()).isEqualTo(1);
        assertThat(franck.get("wrongAlerts").asInt()).isZero();
        for (int i = 1; i < 3; i++) {
            JsonNode other = videos.get(i);
            assertThat(other.get("label").isNull()).isTrue();
            assertThat(other.get("faces").asInt()).isPositive();
            assertThat(other.get("alerts").asInt()).isZero();
            assertThat(other.get("falseAlertsPerHour").asDouble()).isZero();
        }
    }

    @Test
    void evalReadsALabelledFolderOfPngAndWebpPhotos(@TempDir Path tmp) throws Exception {
        Path images = tmp.resolve("images");
        Map<String, String[]> people =
                Map.of(
                        "cage", new String[] {"cage.jpg", "cage2_crop.jpg"},
                        "audrey", new String[] {"audrey.jpg", "audrey_crop.jpg"},
                        "franck", new String[] {"franck_01829.jpg", "franck_02045.jpg"},
                        "connery", new String[] {"SeanConnery.jpg", "sean_guru2_crop.jpg"});
        for (var p : people.entrySet()) {
            Path dir = Files.createDirectories(images.resolve(p.getKey()));
            io.vigil.local.TestPhotos.png(AssetPaths.media(p.getValue()[0]), dir.resolve("a.png"));
            io.vigil.local.TestPhotos.webp(
                    AssetPaths.media(p.getValue()[1]), dir.resolve("b.webp"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code =
                new EvalCli(new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
                        .run(
                                new String[] {
                                    "eval",
                                    "--images",
                                    images.toString(),
                                    "--out",
                                    tmp.resolve("eval").toString()
                                });
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode report =
                new ObjectMapper().readTree(tmp.resolve("eval/report.json").toFile()).get("images");
        assertThat(report.path("faces").asInt()).as(report.toString()).isEqualTo(8);
        assertThat(report.path("people").asInt()).isEqualTo(4);
        assertThat(report.path("skippedPhotos")).isEmpty();
        assertThat(report.path("rank1Correct").asInt())
                .isEqualTo(report.path("rank1Probes").asInt());
    }
}
