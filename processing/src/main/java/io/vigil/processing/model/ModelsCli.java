package io.vigil.processing.model;

import io.vigil.processing.config.CliArgs;
import io.vigil.processing.config.PipelineConfig;
import io.vigil.processing.face.FaceModels;
import io.vigil.processing.face.InferenceOptions;
import io.vigil.processing.face.OnnxModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code vigil models}: which face models are known and configured, what they are and where they
 * came from, and whether the files installed are the ones their manifests pin.
 */
public final class ModelsCli {
    static final String USAGE =
            """
            usage: vigil models [--config FILE] [--set key=value]... COMMAND
              list            built-in and configured models (* = configured), licence, file state
              show ID|FILE    one manifest: source, licence, tensors, threshold
              verify [all]    check the SHA-256 of the configured models (all: every built-in
                              one too) and load each in ONNX Runtime; exit 1 if any fails\
            """;

    private ModelsCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        int usage = CliArgs.usageExit(argv, USAGE, out);
        if (usage >= 0) {
            return usage;
        }
        try {
            CliArgs a = CliArgs.parse(argv);
            // The watchlist is not touched; the setting is only required by the shared config.
            a.settings.putIfAbsent(PipelineConfig.WATCHLIST_INDEX_DIR, "unused");
            PipelineConfig config = PipelineConfig.load(a.configFile, System.getenv(), a.settings);
            FaceModels configured = config.faceModels();
            return switch (a.command) {
                case "list" -> list(configured, out);
                case "show" ->
                        show(ModelCatalog.resolve(a.positional(0, "ID|FILE")), configured, out);
                case "verify" ->
                        verify(
                                configured,
                                a.positional.contains("all"),
                                config.inferenceOptions(),
                                out);
                default ->
                        throw new IllegalArgumentException(
                                "unknown command " + a.command + "\n" + USAGE);
            };
        } catch (IllegalArgumentException | IllegalStateException | ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
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

    static int list(FaceModels configured, PrintStream out) {
        Set<String> inForce = new LinkedHashSet<>();
        configuredList(configured).forEach(m -> inForce.add(m.origin()));
        out.println("| | id | role | family | licence | source | file |");
        out.println("|---|---|---|---|---|---|---|");
        for (ModelManifest m : known(configured)) {
            Path f = configured.path(m);
            String state =
                    Files.isRegularFile(f)
                            ? "installed"
                            : ModelCatalog.CONVERSIONS.contains(m.source().conversion())
                                    ? "converted on first use"
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

    static int show(ModelManifest m, FaceModels configured, PrintStream out) {
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

    static int verify(
            FaceModels configured, boolean all, InferenceOptions options, PrintStream out) {
        List<ModelManifest> models = all ? known(configured) : configuredList(configured);
        int failed = 0;
        for (ModelManifest m : models) {
            try {
                Path f = ModelCatalog.ensure(m, Path.of(configured.assetsDir()));
                OnnxModel.load(f, m.sha256(), options).close();
                out.printf("OK    %s  %s%n", m.id(), f);
            } catch (RuntimeException e) {
                failed++;
                out.printf("FAIL  %s  %s%n", m.id(), e.getMessage());
            }
        }
        out.printf("%d of %d models verified%n", models.size() - failed, models.size());
        return failed == 0 ? 0 : 1;
    }
}
