package io.vigil.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.vision.model.AssetPaths;
import io.vigil.vision.model.ModelCatalog;
import io.vigil.vision.model.ModelManifest;
import io.vigil.vision.model.TestManifests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil models} on the real built-in manifests and the fetched files. */
class ModelsCommandTest {

    /** Exit code, standard output, standard error. */
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Vigil.run(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        AuditCommandTest.prepend("models", args));
        return new Run(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listMarksTheConfiguredModelsAndNamesEveryLicence() {
        Run r = run("list");
        assertThat(r.code()).as(r.err()).isZero();
        for (String id : ModelCatalog.builtInIds()) {
            assertThat(r.out()).contains("| " + id + " |");
        }
        assertThat(r.out())
                .contains("| * | " + ModelCatalog.DEFAULT_EMBEDDER + " |")
                .contains("| * | " + ModelCatalog.DEFAULT_DETECTOR + " |")
                .contains("Public domain");
        Run other = run("--set", "vigil.model.detector=blazeface-back-256", "list");
        assertThat(other.out()).contains("| * | blazeface-back-256 |");
    }

    @Test
    void showPrintsSourceTensorsAndTheEmbeddersThreshold() {
        Run r = run("show", ModelCatalog.DEFAULT_EMBEDDER);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("npm:@vladmandic/face-api@1.7.15")
                .contains("dimension:   128")
                .contains("threshold:   0.94 (floor 0.93)");
    }

    @Test
    void verifyChecksEveryPinnedFileAndFailsOnAWrongOne(@TempDir Path tmp) throws Exception {
        Run all = run("verify", "--all");
        assertThat(all.code()).as(all.out() + all.err()).isZero();
        int n = ModelCatalog.builtInIds().size();
        assertThat(all.out()).contains(n + " of " + n + " models verified");

        Path bad = tmp.resolve("bad.onnx");
        Files.write(bad, new byte[] {1, 2, 3});
        Path manifest =
                TestManifests.write(
                        tmp,
                        ModelCatalog.DEFAULT_DETECTOR,
                        Map.of("id", "bad-detector", "file", "bad.onnx"));
        Run failed = run("--set", "vigil.model.detector=" + manifest, "verify");
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.out()).contains("FAIL  bad-detector").contains("2 of 3 models verified");
    }

    @Test
    void aStaleConvertedModelIsNamedWithItsCommandAndConvertReplacesIt(@TempDir Path tmp)
            throws Exception {
        // A cache converted by another version: the fetched sources, and a converted file that
        // does not match today's pin.
        String id = "mobilefacenet-tf-human-3.0.4";
        ModelManifest m = ModelCatalog.builtIn(id);
        Path cached = ModelCatalog.file(m, AssetPaths.root());
        Path target = ModelCatalog.file(m, tmp);
        Files.createDirectories(target.getParent());
        for (String f : List.of("mobilefacenet.json", "mobilefacenet.bin")) {
            Files.copy(cached.resolveSibling(f), target.resolveSibling(f));
        }
        byte[] older = Files.readAllBytes(cached);
        older[100] ^= 1;
        Files.write(target, older);
        String[] models = {
            "--set", "vigil.assets.dir=" + tmp, "--set", "vigil.model.embedder=" + id
        };

        Run verify = run(concat(models, "verify"));
        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.out())
                .contains("FAIL  " + id)
                .contains("converted by another version of Vigil")
                .contains("./vigil models convert " + id);

        Run convert = run(concat(models, "convert", id));
        assertThat(convert.code()).as(convert.err()).isZero();
        assertThat(convert.out())
                .contains("done  " + id)
                .contains("replacing a file that did not match its pin");
        assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(cached));
        Run again = run(concat(models, "convert", id));
        assertThat(again.out()).contains("skip  " + id).contains("matches its pin");
        // The detector and landmarks were never fetched into tmp; the embedder now verifies.
        assertThat(run(concat(models, "verify")).out())
                .contains("OK    " + id)
                .contains("1 of 3 models verified");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badCommandsAndUnknownModelsAreErrorsThatSayWhy() {
        Run unknown = run("frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument").contains("frobnicate");
        Run missing = run("show", "no-such-model");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no built-in model no-such-model");
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: vigil models").contains("convert");
    }

    @Test
    void calibrateInt8MeasuresThePinnedRangesAgainFromTheSamplePhotos(@TempDir Path tmp)
            throws Exception {
        String media = AssetPaths.root().resolve("media").toString();
        Path out = tmp.resolve("ranges.json");
        Run r =
                run(
                        "calibrate-int8",
                        Int8EmbedderTest.INT8,
                        "--images",
                        media,
                        "--percentile",
                        "99.999",
                        "--out",
                        out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.path("calibratedOn").asText())
                .startsWith("38 faces in 21 photos")
                .endsWith("percentile 99.999");
        ModelManifest m = ModelCatalog.builtIn(Int8EmbedderTest.INT8);
        Map<String, float[]> pinned = m.source().activationRanges();
        assertThat(names(json.path("activationRanges"))).containsExactlyElementsOf(pinned.keySet());
        pinned.forEach(
                (name, range) -> {
                    JsonNode measured = json.path("activationRanges").path(name);
                    for (int i = 0; i < 2; i++) {
                        // Another CPU's kernels may round differently in the last bits.
                        assertThat(measured.get(i).asDouble())
                                .as(name)
                                .isCloseTo(range[i], within(1e-4 + 1e-4 * Math.abs(range[i])));
                    }
                });

        Run notInt8 = run("calibrate-int8", ModelCatalog.DEFAULT_EMBEDDER, "--images", media);
        assertThat(notInt8.code()).isNotZero();
        assertThat(notInt8.err()).contains("not dlib-resnet-tfjs-weights-int8");
        Run badPercentile =
                run(
                        "calibrate-int8",
                        Int8EmbedderTest.INT8,
                        "--images",
                        media,
                        "--percentile",
                        "40");
        assertThat(badPercentile.code()).isNotZero();
        assertThat(badPercentile.err()).contains("--percentile must be above 50");
        Run noPhotos = run("calibrate-int8", Int8EmbedderTest.INT8, "--images", tmp.toString());
        assertThat(noPhotos.code()).isNotZero();
        assertThat(noPhotos.err()).contains("no face found in the 0 photos");
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
