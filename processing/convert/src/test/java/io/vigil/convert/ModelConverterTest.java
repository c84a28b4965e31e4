package io.vigil.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pin tests: every built-in manifest with a conversion, converted from nothing through exactly
 * what the build runs ({@link ConvertModels#run}, which reads each manifest with {@link
 * ModelConverter.Spec#of} and converts with {@link ModelConverter#ensure}), gives the bytes its
 * manifest pins, in a file as readable as the fetched ones. A converter whose output changes by one
 * byte fails here and in the build.
 */
class ModelConverterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MANIFESTS = Path.of(System.getProperty("vigil.manifests"));
    private static final Path ASSETS = Path.of(System.getProperty("vigil.assets"));

    @Test
    void everyBuiltInConversionGivesItsPinnedBytesFromAnEmptyCache(@TempDir Path tmp)
            throws Exception {
        Map<Path, String> pins = new LinkedHashMap<>();
        for (ModelConverter.Spec s : builtInSpecs()) {
            pins.put(tmp.resolve(s.file()), s.sha256());
        }
        assertThat(pins).hasSizeGreaterThanOrEqualTo(3);
        fetchedSourcesInto(tmp);

        assertThat(ConvertModels.run(MANIFESTS, tmp)).isEqualTo(pins.size());
        Set<PosixFilePermission> plainFile = Files.getPosixFilePermissions(plainFile(tmp));
        for (Map.Entry<Path, String> e : pins.entrySet()) {
            assertThat(ModelConverter.sha256(Files.readAllBytes(e.getKey())))
                    .as("%s", e.getKey())
                    .isEqualTo(e.getValue());
            assertThat(Files.getPosixFilePermissions(e.getKey()))
                    .as("mode of %s", e.getKey())
                    .isEqualTo(plainFile)
                    .contains(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        }
        try (Stream<Path> left = Files.walk(tmp)) {
            assertThat(left.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
        // Converted and current: the next build leaves them alone.
        assertThat(ConvertModels.run(MANIFESTS, tmp)).isZero();
    }

    @Test
    void aStaleCachedConversionIsReplacedByTheBuild(@TempDir Path tmp) throws Exception {
        ModelConverter.Spec mobileFaceNet = spec("mobilefacenet-tf-human-3.0.4.json");
        fetchedSourcesInto(tmp);
        ConvertModels.run(MANIFESTS, tmp);
        Path f = tmp.resolve(mobileFaceNet.file());
        byte[] pinned = Files.readAllBytes(f);
        byte[] older = pinned.clone();
        older[older.length / 2] ^= 1;
        Files.write(f, older);
        assertThat(ModelConverter.state(mobileFaceNet, f)).isEqualTo(ModelConverter.State.STALE);

        assertThat(ConvertModels.run(MANIFESTS, tmp)).isEqualTo(1);
        assertThat(Files.readAllBytes(f)).isEqualTo(pinned);
        assertThat(ModelConverter.state(mobileFaceNet, f)).isEqualTo(ModelConverter.State.CURRENT);
    }

    @Test
    void aConversionThatDoesNotGiveItsPinIsRefusedAndWritesNothing(@TempDir Path tmp)
            throws Exception {
        fetchedSourcesInto(tmp);
        ObjectNode m = (ObjectNode) manifest("mobilefacenet-tf-human-3.0.4.json");
        String pin = m.path("sha256").asText();
        String oneDigitOff = (pin.charAt(0) == '0' ? "1" : "0") + pin.substring(1);
        m.put("sha256", oneDigitOff);
        ModelConverter.Spec s = ModelConverter.Spec.of(m, "my.json").orElseThrow();
        Path target = tmp.resolve(s.file());

        assertThatThrownBy(() -> ModelConverter.ensure(s, target, false))
                .isInstanceOf(ModelConverter.PinMismatchException.class)
                .hasMessageContaining("mobilefacenet-tf-human-3.0.4")
                .hasMessageContaining("gave SHA-256 " + pin)
                .hasMessageContaining("my.json pins " + oneDigitOff)
                .hasMessageContaining("Nothing was written");
        assertThat(target).doesNotExist();
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertThat(left.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void theInt8ConversionNeedsEveryActivationItsGraphQuantises(@TempDir Path tmp)
            throws Exception {
        ModelConverter.Spec int8 = spec("dlib-resnet-v1-faceapi-1.7.15-int8.json");
        Path weights =
                ASSETS.resolve(int8.file())
                        .resolveSibling(Path.of(int8.sourceFile()).getFileName().toString());
        List<String> activations = DlibResNetToOnnx.activations(weights);
        // The manifest's ranges are exactly the graph's activations, in its order.
        assertThat(int8.activationRanges().keySet()).containsExactlyElementsOf(activations);
        assertThat(activations).hasSize(55).startsWith("mul_1").endsWith("globalaveragepool_89");

        fetchedSourcesInto(tmp);
        ObjectNode m = (ObjectNode) manifest("dlib-resnet-v1-faceapi-1.7.15-int8.json");
        ((ObjectNode) m.path("source").path("activationRanges")).remove("conv_7");
        ModelConverter.Spec oneMissing = ModelConverter.Spec.of(m, "my.json").orElseThrow();
        assertThatThrownBy(
                        () ->
                                ModelConverter.ensure(
                                        oneMissing, tmp.resolve(oneMissing.file()), false))
                .hasMessageContaining("no activation range for conv_7")
                .hasMessageContaining("vigil models calibrate-int8");
    }

    @Test
    void aManifestErrorNamesTheManifestAndTheField() throws Exception {
        ObjectNode m = (ObjectNode) manifest("dlib-resnet-v1-faceapi-1.7.15-int8.json");
        ObjectNode source = (ObjectNode) m.path("source");
        ((ObjectNode) source.path("activationRanges")).put("relu_3", 4.0);
        assertThatThrownBy(() -> ModelConverter.Spec.of(m, "my.json"))
                .hasMessageContaining("my.json")
                .hasMessageContaining("source.activationRanges.relu_3 must be [min, max]");
        source.put("conversion", "onnx-simplifier");
        assertThatThrownBy(() -> ModelConverter.Spec.of(m, "my.json"))
                .hasMessageContaining("my.json")
                .hasMessageContaining("source.conversion onnx-simplifier is not known");
        source.put("conversion", "none");
        assertThat(ModelConverter.Spec.of(m, "my.json")).isEmpty();
        source.put("conversion", ModelConverter.DLIB_RESNET);
        m.remove("sha256");
        assertThatThrownBy(() -> ModelConverter.Spec.of(m, "my.json"))
                .hasMessageContaining("my.json: sha256 is required");
    }

    @Test
    void aMissingSourceSaysHowToFetchIt(@TempDir Path tmp) throws Exception {
        ModelConverter.Spec s = spec("dlib-resnet-v1-faceapi-1.7.15.json");
        assertThatThrownBy(() -> ModelConverter.ensure(s, tmp.resolve(s.file()), false))
                .hasMessageContaining("face_recognition_model-weights_manifest.json does not exist")
                .hasMessageContaining("deploy/bin/fetch-assets.sh");
    }

    static List<ModelConverter.Spec> builtInSpecs() throws IOException {
        List<ModelConverter.Spec> specs = new ArrayList<>();
        try (Stream<Path> s = Files.list(MANIFESTS)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                ModelConverter.Spec.of(JSON.readTree(p.toFile()), p.toString())
                        .ifPresent(specs::add);
            }
        }
        return specs;
    }

    private static ModelConverter.Spec spec(String manifest) throws IOException {
        return ModelConverter.Spec.of(manifest(manifest), manifest).orElseThrow();
    }

    private static JsonNode manifest(String name) throws IOException {
        return JSON.readTree(MANIFESTS.resolve(name).toFile());
    }

    /**
     * The files the asset fetch put beside each converted model (never the converted ones), as
     * links into {@code dir}: a cache where nothing was converted yet.
     */
    private static void fetchedSourcesInto(Path dir) throws IOException {
        for (ModelConverter.Spec s : builtInSpecs()) {
            Path from = ASSETS.resolve(s.file()).getParent();
            Path to = dir.resolve(s.file()).getParent();
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Path link = to.resolve(f.getFileName());
                    if (!f.toString().endsWith(".onnx") && !Files.exists(link)) {
                        Files.createSymbolicLink(link, f.toAbsolutePath());
                    }
                }
            }
        }
    }

    /** A file created as the asset fetch creates the fetched models. */
    private static Path plainFile(Path dir) throws IOException {
        return Files.write(dir.resolve("plain"), new byte[] {1});
    }
}
