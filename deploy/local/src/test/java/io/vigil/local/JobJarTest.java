package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shaded job jar that the build attaches to vigil-job ({@code -job.jar}) is what a Flink
 * cluster runs: it must carry the job and everything it needs except Flink and the logging backend,
 * with the service files merged so Lucene still finds its codecs, and nothing the job does not run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobJarTest {
    private JarFile jar;

    @BeforeAll
    void open() throws IOException {
        Path target = Path.of("..", "..", "processing", "job", "target");
        try (Stream<Path> s = Files.list(target)) {
            Path job =
                    s.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no job jar in " + target));
            jar = new JarFile(job.toFile());
        }
    }

    @AfterAll
    void close() throws IOException {
        jar.close();
    }

    @Test
    void runsTheMatchingJobAndCarriesItsDependencies() throws IOException {
        assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                .isEqualTo("io.vigil.job.WatchlistMatchingJob");
        for (String needed :
                new String[] {
                    "io/vigil/job/WatchlistMatchingJob.class",
                    "io/vigil/schemas/Alert.class",
                    "io/vigil/index/lucene/LuceneVectorIndex.class",
                    "io/vigil/index/milvus/MilvusVectorIndex.class",
                    "io/vigil/vision/model/manifests/index.txt",
                    "org/apache/flink/connector/kafka/sink/KafkaSink.class",
                    "org/apache/flink/formats/avro/typeutils/AvroTypeInfo.class",
                    "org/apache/kafka/clients/producer/KafkaProducer.class",
                    // Model manifests are JSON; read by main() on the JobManager.
                    "com/fasterxml/jackson/databind/ObjectMapper.class",
                    "ai/onnxruntime/native/linux-x64/libonnxruntime.so"
                }) {
            assertThat(jar.getEntry(needed)).as(needed).isNotNull();
        }
    }

    @Test
    void leavesFlinkLoggingAndOtherPlatformsOut() {
        for (String provided :
                new String[] {
                    "org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class",
                    "org/apache/flink/api/common/JobExecutionResult.class",
                    "org/slf4j/Logger.class",
                    "org/apache/logging/log4j/Logger.class",
                    "ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib"
                }) {
            assertThat(jar.getEntry(provided)).as(provided).isNull();
        }
    }

    @Test
    void carriesNoConsoleCommandLineConverterOrPlotting() {
        assertThat(
                        jar.stream()
                                .map(JarEntry::getName)
                                .filter(
                                        n ->
                                                n.startsWith("io/vigil/console/")
                                                        || n.startsWith("io/vigil/tools/")
                                                        || n.startsWith("io/vigil/convert/")
                                                        || n.startsWith("io/vigil/local/")
                                                        || n.startsWith("picocli/")
                                                        || n.startsWith("com/sun/net/httpserver/")
                                                        || n.startsWith("org/jfree/")))
                .isEmpty();
    }

    @Test
    void holdsTheClusterGalleryImportAndReadsWebPPhotos() throws IOException {
        assertThat(jar.getEntry("io/vigil/job/gallery/GalleryImportJob.class")).isNotNull();
        assertThat(service("javax.imageio.spi.ImageReaderSpi")).contains("WebPImageReaderSpi");
    }

    @Test
    void luceneFindsItsCodecsThroughMergedServiceFiles() throws IOException {
        assertThat(service("org.apache.lucene.codecs.Codec")).contains("Lucene912Codec");
        assertThat(service("org.apache.lucene.codecs.KnnVectorsFormat"))
                .contains("Lucene99HnswVectorsFormat");
    }

    private String service(String name) throws IOException {
        try (InputStream in = jar.getInputStream(jar.getEntry("META-INF/services/" + name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
