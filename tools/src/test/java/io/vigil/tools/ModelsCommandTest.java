package io.vigil.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.vision.model.ModelCatalog;
import io.vigil.vision.model.TestManifests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
