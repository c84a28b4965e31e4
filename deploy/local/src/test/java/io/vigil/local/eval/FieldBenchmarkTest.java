package io.vigil.local.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil eval --field} on a subset (8 real faces, clean and street-degraded 1080p frames,
 * four face heights, the whole-frame and the tiled stack): the recall it reports per face height is
 * what the field needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FieldBenchmarkTest {
    private Path out;
    private int code;
    private String printed;
    private JsonNode report;

    @BeforeAll
    void run(@TempDir Path dir) throws Exception {
        out = dir.resolve("field");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        code =
                new EvalCli(new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err)
                        .run(
                                new String[] {
                                    "eval",
                                    "--field",
                                    "--max-faces",
                                    "8",
                                    "--degradations",
                                    "clean,street",
                                    "--stacks",
                                    "ultraface-whole-frame,ultraface-tiled",
                                    "--heights",
                                    "24,40,80,160",
                                    "--out",
                                    out.toString()
                                });
        printed = bytes.toString(StandardCharsets.UTF_8);
        report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    }

    private JsonNode bucket(String stack, int height) {
        for (JsonNode s : report.get("stacks")) {
            if (s.get("stack").asText().equals(stack)) {
                return s.get("all").get(Integer.toString(height));
            }
        }
        throw new AssertionError("no stack " + stack);
    }

    @Test
    void tilesFindTheSmallFacesTheWholeFrameMisses() {
        assertThat(code).as(printed).isZero();
        assertThat(bucket("ultraface-tiled", 40).get("placed").asInt()).isEqualTo(16);
        assertThat(bucket("ultraface-tiled", 40).get("detectionRecall").asDouble())
                .isGreaterThanOrEqualTo(0.8);
        assertThat(bucket("ultraface-tiled", 24).get("detectionRecall").asDouble())
                .isGreaterThanOrEqualTo(0.5);
        assertThat(bucket("ultraface-whole-frame", 40).get("detectionRecall").asDouble())
                .isLessThanOrEqualTo(0.35);
        assertThat(bucket("ultraface-whole-frame", 24).get("detectionRecall").asDouble()).isZero();
        for (int h : new int[] {24, 40, 80, 160}) {
            assertThat(bucket("ultraface-tiled", h).get("detectionRecall").asDouble())
                    .as("tiled vs whole frame at %d px", h)
                    .isGreaterThanOrEqualTo(
                            bucket("ultraface-whole-frame", h).get("detectionRecall").asDouble());
        }
    }

    @Test
    void largeFacesAreFoundAndIdentifiedByBoth() {
        for (String stack : new String[] {"ultraface-whole-frame", "ultraface-tiled"}) {
            JsonNode b = bucket(stack, 160);
            assertThat(b.get("detectionRecall").asDouble()).as(stack).isGreaterThanOrEqualTo(0.8);
            assertThat(b.get("rank1").asDouble()).as(stack).isGreaterThanOrEqualTo(0.6);
        }
    }

    @Test
    void theReportCountsCostAndFalseDetectionsAndThePlotIsWritten() throws Exception {
        JsonNode tiled = null;
        for (JsonNode s : report.get("stacks")) {
            if (s.get("stack").asText().equals("ultraface-tiled")) {
                tiled = s;
            }
        }
        assertThat(tiled).isNotNull();
        assertThat(tiled.get("detectorRunsPerFrame").asInt()).isGreaterThan(1);
        assertThat(tiled.get("falseDetectionsPerFrame").asDouble()).isLessThan(3.0);
        assertThat(tiled.get("byDegradation").has("street")).isTrue();
        assertThat(report.get("frameWidth").asInt()).isEqualTo(1920);
        BufferedImage png = ImageIO.read(out.resolve("field.png").toFile());
        assertThat(png.getWidth()).isGreaterThan(500);
        assertThat(printed).contains("| ultraface-tiled | detection recall |");
    }
}
