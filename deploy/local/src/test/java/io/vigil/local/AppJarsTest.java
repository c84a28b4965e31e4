package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each deployable jar carries only what it runs: the entries of the console, ingest and tools jars
 * the build attaches ({@code -app.jar}), listed.
 */
class AppJarsTest {
    private static final List<String> FLINK = List.of("org/apache/flink/");

    private static List<String> entries(String module) throws IOException {
        Path target = Path.of("..", "..", module, "target");
        Path app;
        try (Stream<Path> s = Files.list(target)) {
            app =
                    s.filter(p -> p.getFileName().toString().endsWith("-app.jar"))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no app jar in " + target));
        }
        try (JarFile jar = new JarFile(app.toFile())) {
            return jar.stream().map(JarEntry::getName).toList();
        }
    }

    private static List<String> under(List<String> entries, List<String> prefixes) {
        return entries.stream().filter(e -> prefixes.stream().anyMatch(e::startsWith)).toList();
    }

    @Test
    void theConsoleCarriesNoFlinkJobToolsOrConverter() throws IOException {
        List<String> console = entries("console");
        assertThat(console).contains("io/vigil/console/ConsoleMain.class");
        assertThat(
                        under(
                                console,
                                List.of(
                                        "org/apache/flink/",
                                        "io/vigil/job/",
                                        "io/vigil/tools/",
                                        "io/vigil/convert/",
                                        "io/vigil/local/",
                                        "io/vigil/ingest/",
                                        "picocli/",
                                        "org/rocksdb/")))
                .isEmpty();
    }

    @Test
    void ingestCarriesNoFlinkModelsOrIndex() throws IOException {
        List<String> ingest = entries("ingest");
        assertThat(ingest).contains("io/vigil/ingest/IngestMain.class");
        assertThat(
                        under(
                                ingest,
                                List.of(
                                        "org/apache/flink/",
                                        "ai/onnxruntime/",
                                        "org/apache/lucene/",
                                        "io/milvus/",
                                        "io/vigil/vision/",
                                        "io/vigil/index/",
                                        "io/vigil/watchlist/",
                                        "io/vigil/job/",
                                        "io/vigil/console/")))
                .isEmpty();
    }

    @Test
    void theToolsCarryTheConverterButNoFlinkJobOrConsole() throws IOException {
        List<String> tools = entries("tools");
        assertThat(tools)
                .contains("io/vigil/tools/Vigil.class", "io/vigil/convert/ModelConverter.class");
        // Enrolment, calibration and `models verify` run the models: ONNX Runtime and its Linux
        // natives must be in the jar (a test-scoped declaration once left them out).
        assertThat(tools)
                .contains(
                        "ai/onnxruntime/OrtSession.class",
                        "ai/onnxruntime/native/linux-x64/libonnxruntime.so");
        assertThat(
                        under(
                                tools,
                                List.of(
                                        "org/apache/flink/",
                                        "io/vigil/job/",
                                        "io/vigil/console/",
                                        "io/vigil/local/",
                                        "com/sun/net/httpserver/")))
                .isEmpty();
        assertThat(under(tools, FLINK)).isEmpty();
    }
}
