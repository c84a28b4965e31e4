package io.vigil.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.convert.DlibResNetToOnnx;
import io.vigil.convert.ModelConverter;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.OnnxModel;
import io.vigil.vision.model.ModelCatalog;
import io.vigil.vision.model.ModelManifest;
import io.vigil.watchlist.settings.ModelSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil models}: which face models are known and configured, what they are and where they
 * came from, whether the installed files are the ones their manifests pin, and the conversion of
 * models published in another format. Reads the model settings only.
 */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Face models: licences, sources, hashes, conversion.")
final class ModelsCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin SettingsOptions settings;

    @Spec CommandSpec spec;

    @Command(description = "Built-in and configured models (* = configured), licence, file state.")
    int list() {
        FaceModels configured = configured();
        PrintWriter out = out();
        Set<String> inForce = new LinkedHashSet<>();
        configuredList(configured).forEach(m -> inForce.add(m.origin()));
        out.println("| | id | role | family | licence | source | file |");
        out.println("|---|---|---|---|---|---|---|");
        for (ModelManifest m : known(configured)) {
            Path f = configured.path(m);
            String state =
                    Files.isRegularFile(f)
                            ? "installed"
                            : ModelCatalog.isConverted(m)
                                    ? "not converted (./vigil models convert " + m.id() + ")"
                                    : "missing (run ./vigil fetch-assets)";
            out.printf(
                    "| %s | %s | %s | %s | %s | %s | %s: %s |%n",
                    inForce.contains(m.origin()) ? "*" : "",
                    m.id(),
                    m.role().name().toLowerCase(Locale.ROOT),
                    m.family(),
                    m.licence(),
                    m.source().pkg(),
                    f,
                    state);
        }
        if (configured.landmarks() == null) {
            out.println("(no landmark model: faces are aligned by the detector's keypoints)");
        }
        return 0;
    }

    @Command(description = "One manifest: source, licence, tensors, threshold.")
    int show(@Parameters(paramLabel = "ID|FILE") String ref) {
        ModelManifest m = ModelCatalog.resolve(ref);
        FaceModels configured = configured();
        PrintWriter out = out();
        ModelManifest.Input in = m.input();
        out.printf("id:          %s (%s, %s)%n", m.id(), m.role(), m.family());
        out.printf("file:        %s%n", configured.path(m));
        out.printf("sha256:      %s%n", m.sha256());
        out.printf("licence:     %s%n", m.licence());
        if (!m.licenceNotes().isBlank()) {
            out.printf("             %s%n", m.licenceNotes());
        }
        out.printf(
                "source:      %s (sha256 %s) %s%n",
                m.source().pkg(), m.source().packageSha256(), m.source().files());
        out.printf("upstream:    %s%n", m.source().upstream());
        out.printf("conversion:  %s%n", m.source().conversion());
        out.printf(
                "input:       %s %s %dx%d %s, (v - %s) * %s%n",
                in.name(),
                in.layout(),
                in.width(),
                in.height(),
                in.colour(),
                in.mean(),
                in.scale());
        out.printf("outputs:     %s%n", m.outputs());
        if (!m.params().isEmpty()) {
            out.printf("params:      %s%n", m.params());
        }
        if (m.role() == ModelManifest.Role.EMBEDDER) {
            out.printf("dimension:   %d%n", m.embeddingDimension());
            out.printf(
                    "threshold:   %s (floor %s), calibrated on %s%n",
                    m.threshold().value(), m.threshold().floor(), m.threshold().calibratedOn());
        }
        return 0;
    }

    @Command(
            description =
                    "Check the SHA-256 of the configured models (--all: every built-in one too)"
                            + " and load each in ONNX Runtime; exit 1 if any fails.")
    int verify(@Option(names = "--all", description = "Every built-in model too.") boolean all) {
        ModelSettings s = new ModelSettings(settings.load(ModelSettings.CONFIG));
        FaceModels configured = s.resolve();
        InferenceOptions options = s.inferenceOptions();
        List<ModelManifest> models = all ? known(configured) : configuredList(configured);
        int failed = 0;
        PrintWriter out = out();
        for (ModelManifest m : models) {
            try {
                OnnxModel.open(m, Path.of(configured.assetsDir()), options).close();
                out.printf("OK    %s  %s%n", m.id(), configured.path(m));
            } catch (RuntimeException e) {
                failed++;
                out.printf("FAIL  %s  %s%n", m.id(), e.getMessage());
            }
        }
        out.printf("%d of %d models verified%n", models.size() - failed, models.size());
        return failed == 0 ? 0 : 1;
    }

    @Command(
            description =
                    "Convert models published in another format (TensorFlow.js) to the ONNX file"
                            + " their manifest pins: the configured ones, or those named. The"
                            + " runtime never converts.")
    int convert(
            @Parameters(arity = "0..*", paramLabel = "ID|FILE") List<String> refs,
            @Option(
                            names = "--force",
                            description = "Convert again even if the file matches its pin.")
                    boolean force)
            throws IOException {
        FaceModels configured = configured();
        List<ModelManifest> models = new ArrayList<>();
        if (refs == null || refs.isEmpty()) {
            models.addAll(configuredList(configured));
        } else {
            refs.forEach(r -> models.add(ModelCatalog.resolve(r)));
        }
        PrintWriter out = out();
        for (ModelManifest m : models) {
            Path target = configured.path(m);
            if (!ModelCatalog.isConverted(m)) {
                out.printf("skip  %s  (published as ONNX)%n", m.id());
                continue;
            }
            ModelConverter.Spec spec;
            try (InputStream in = ModelCatalog.open(m)) {
                spec = ModelConverter.Spec.of(JSON.readTree(in), m.origin()).orElseThrow();
            }
            ModelConverter.Outcome o = ModelConverter.ensure(spec, target, force);
            if (!o.converted()) {
                out.printf("skip  %s  %s matches its pin%n", m.id(), target);
            } else {
                out.printf(
                        "done  %s  %s (%d bytes%s)%n",
                        m.id(),
                        target,
                        o.bytes(),
                        o.found() == ModelConverter.State.STALE
                                ? ", replacing a file that did not match its pin"
                                : "");
            }
        }
        return 0;
    }

    @Command(
            name = "calibrate-int8",
            description =
                    "Measure the activation ranges of an int8 embedder (conversion "
                            + ModelConverter.DLIB_RESNET_INT8
                            + "): run the float network on every face in the photos under --images"
                            + " and print the manifest's source.activationRanges as JSON.")
    int calibrateInt8(
            @Parameters(paramLabel = "ID|FILE") String ref,
            @Option(
                            names = "--images",
                            required = true,
                            paramLabel = "DIR",
                            description = "Photos (jpg, png) of faces, searched recursively.")
                    Path images,
            @Option(
                            names = "--percentile",
                            defaultValue = "100",
                            paramLabel = "P",
                            description =
                                    "Range from the (100-P)th to the Pth percentile of each"
                                            + " activation's values; 100 (default): min to max.")
                    double percentile,
            @Option(names = "--out", paramLabel = "FILE", description = "Write the JSON here.")
                    Path outFile)
            throws Exception {
        ModelManifest m = ModelCatalog.resolve(ref);
        if (!ModelConverter.DLIB_RESNET_INT8.equals(m.source().conversion())) {
            throw new IllegalArgumentException(
                    m.id()
                            + " is converted by "
                            + m.source().conversion()
                            + ", not "
                            + ModelConverter.DLIB_RESNET_INT8);
        }
        ModelSettings s = new ModelSettings(settings.load(ModelSettings.CONFIG));
        FaceModels configured = s.resolve();
        Path weights =
                configured
                        .path(m)
                        .resolveSibling(
                                Path.of(m.source().files().get(0)).getFileName().toString());
        List<Path> photos = Int8Calibration.photos(images);
        Path graph = Files.createTempFile("vigil-calibration", ".onnx");
        Int8Calibration.Result r;
        try {
            Files.write(graph, DlibResNetToOnnx.calibrationModel(weights));
            try (FaceAnalyzer analyzer =
                            new FaceAnalyzer(
                                    configured, s.detectorSettings(), s.inferenceOptions());
                    OnnxModel calibration = OnnxModel.load(graph, null, s.inferenceOptions())) {
                r =
                        Int8Calibration.measure(
                                analyzer,
                                m,
                                calibration,
                                DlibResNetToOnnx.activations(weights),
                                photos,
                                percentile);
            }
        } finally {
            Files.deleteIfExists(graph);
        }
        ObjectNode json = JSON.createObjectNode();
        json.put(
                "calibratedOn",
                r.faces()
                        + " faces in "
                        + r.photos()
                        + " photos of "
                        + images
                        + (percentile < 100 ? ", percentile " + percentile : ", min-max"));
        ObjectNode ranges = json.putObject("activationRanges");
        r.ranges()
                .forEach(
                        (k, v) -> {
                            ArrayNode a = ranges.putArray(k);
                            a.add(v.min());
                            a.add(v.max());
                        });
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        if (outFile != null) {
            Files.writeString(outFile, text + "\n");
        }
        out().println(text);
        return 0;
    }

    private FaceModels configured() {
        return new ModelSettings(settings.load(ModelSettings.CONFIG)).resolve();
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private static List<ModelManifest> known(FaceModels configured) {
        Set<String> seen = new LinkedHashSet<>();
        List<ModelManifest> all = new ArrayList<>();
        for (ModelManifest m : configuredList(configured)) {
            if (seen.add(m.origin())) {
                all.add(m);
            }
        }
        for (String id : ModelCatalog.builtInIds()) {
            ModelManifest m = ModelCatalog.builtIn(id);
            if (seen.add(m.origin())) {
                all.add(m);
            }
        }
        return all;
    }

    private static List<ModelManifest> configuredList(FaceModels c) {
        List<ModelManifest> l = new ArrayList<>();
        l.add(c.detector());
        if (c.landmarks() != null) {
            l.add(c.landmarks());
        }
        l.add(c.embedder());
        return l;
    }
}
