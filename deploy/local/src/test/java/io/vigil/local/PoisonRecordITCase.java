package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.job.DeadLetters;
import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.JobSettings;
import io.vigil.job.PipelineConfig;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.DeadLetterReason;
import io.vigil.schemas.Frame;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records a hostile sender can put on the frames topic cannot stop the job: a 1.5 MB key with an
 * empty value, and a Frame whose camera id is 1.5 MB long, each become one dead letter that fits
 * the dead-letter producer, and the valid frames after them are all analysed (real broker,
 * MiniCluster at parallelism 2). Before the caps, the first of them put the job into a restart
 * loop: its dead letter was larger than the producer allowed.
 */
class PoisonRecordITCase {
    static final String CAMERA = "cam-poisoned";

    @Test
    void oversizedKeysAndCameraIdsAreDeadLetteredAndTheJobGoesOn(@TempDir Path work)
            throws Exception {
        try (LocalStack stack = LocalStack.start(work, Map.of(JobSettings.PARALLELISM, "2"), 2)) {
            PipelineConfig config = stack.config();
            stack.registerCameras(CAMERA);
            stack.enroll(
                    DemoWatchlist.prepare(
                            io.vigil.vision.model.AssetPaths.root(), work.resolve("photos")),
                    "it-test",
                    "TEST-CASE-POISON",
                    java.time.Instant.now().plus(Duration.ofDays(1)),
                    LocalStack.TEST_PURPOSES);
            byte[] hugeKey = new byte[1_500_000];
            Arrays.fill(hugeKey, (byte) 'k');
            List<Frame> valid = SampleFrames.of(CAMERA, "franck.mp4", 4);
            Frame hugeCamera =
                    Frame.newBuilder(valid.get(0)).setCameraId("c".repeat(1_500_000)).build();
            Properties p = new Properties();
            p.put("bootstrap.servers", stack.bootstrapServers());
            p.put("max.request.size", String.valueOf(8 * 1024 * 1024));
            try (KafkaProducer<byte[], byte[]> raw =
                    new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(config.framesTopic(), 0, hugeKey, new byte[0])).get();
                ByteBuffer b = Frame.getEncoder().encode(hugeCamera);
                byte[] value = new byte[b.remaining()];
                b.get(value);
                raw.send(new ProducerRecord<>(config.framesTopic(), 1, hugeKey, value)).get();
            }
            try (KafkaFramePublisher publisher =
                    new KafkaFramePublisher(
                            stack.bootstrapServers(), config.framesTopic(), new Properties())) {
                valid.forEach(publisher::publish);
                publisher.flush();
            }

            JobExecutionResult result =
                    stack.submitJob(true).getJobExecutionResult().get(3, TimeUnit.MINUTES);

            assertThat(
                            LocalStack.counter(
                                    result.getAllAccumulatorResults(),
                                    FaceEmbeddingFunction.FRAMES_ANALYZED))
                    .isEqualTo(valid.size());
            List<DeadLetter> dead;
            try (AvroTopicReader<DeadLetter> reader =
                    new AvroTopicReader<>(
                            stack.bootstrapServers(),
                            config.deadLetterTopic(),
                            DeadLetter.getDecoder())) {
                dead =
                        reader.drain(Duration.ofSeconds(3), Duration.ofSeconds(60)).stream()
                                .map(AvroTopicReader.Decoded::value)
                                .toList();
            }
            assertThat(dead)
                    .extracting(DeadLetter::getReason)
                    .containsExactlyInAnyOrder(
                            DeadLetterReason.EMPTY, DeadLetterReason.UNKNOWN_CAMERA);
            assertThat(dead)
                    .allSatisfy(
                            d -> {
                                assertThat(d.getKey().remaining())
                                        .isEqualTo(DeadLetters.MAX_KEY_BYTES);
                                assertThat(d.getDetail()).contains("key of 1500000 bytes cut");
                                assertThat(d.getDetail().length()).isLessThan(3_000);
                                // No frame bytes: the empty value, or nothing.
                                assertThat(
                                                d.getOriginalValue() == null
                                                        ? 0
                                                        : d.getOriginalValue().remaining())
                                        .isZero();
                            });
        }
    }
}
