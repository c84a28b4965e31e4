package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.GatingSettings;
import io.vigil.job.JobSettings;
import io.vigil.local.bench.CityWorkload;
import io.vigil.schemas.Alert;
import io.vigil.vision.model.AssetPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The motion gate and the track rules lose no alert: a short city-camera clip (two HD cameras, 40 s
 * at 2 fps, real faces of an enrolled person and of two strangers crossing, approaching and
 * waiting, under drifting light and sensor noise) through the real job twice, levers off and on.
 * Every enrolled pass the ungated run alerts on is alerted on with the levers on, with no extra
 * false alert, for fewer detector runs and embeddings, and fewer frames decoded at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CityGatingITCase {
    private CityWorkload.Workload clip;
    private Run off;
    private Run on;

    record Run(JobExecutionResult result, List<Alert> alerts, CityWorkload.Recall score) {
        long counter(String name) {
            return LocalStack.counter(result.getAllAccumulatorResults(), name);
        }
    }

    @BeforeAll
    void runBoth(@TempDir Path work) throws Exception {
        clip = CityWorkload.shortClip(Instant.now().minusSeconds(120));
        Map<String, String> levers = new HashMap<>();
        levers.put(GatingSettings.MOTION_FULL_PASS_INTERVAL_MS, "0");
        levers.put(GatingSettings.REEMBED_INTERVAL_MS, "0");
        off = run(work.resolve("off"), levers);
        on = run(work.resolve("on"), Map.of());
    }

    private Run run(Path work, Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        all.put(JobSettings.PARALLELISM, "2");
        try (LocalStack stack = LocalStack.start(work, all, 4)) {
            stack.registerCameras(clip.cameras().toArray(String[]::new));
            stack.enroll(
                    DemoWatchlist.prepare(AssetPaths.root(), work.resolve("photos")),
                    "it-test",
                    "TEST-CASE-CITY",
                    Instant.now().plus(Duration.ofDays(1)),
                    LocalStack.TEST_PURPOSES);
            try (KafkaFramePublisher publisher =
                    new KafkaFramePublisher(
                            stack.bootstrapServers(),
                            stack.config().framesTopic(),
                            new Properties())) {
                clip.frames().forEach(publisher::publish);
                publisher.flush();
            }
            JobExecutionResult result =
                    stack.submitJob(true).getJobExecutionResult().get(5, TimeUnit.MINUTES);
            List<Alert> alerts = AlertsOnTopic.all(stack);
            return new Run(result, alerts, CityWorkload.recall(clip, alerts));
        }
    }

    @Test
    void theLeversLoseNoAlertAndAddNoFalseOne() {
        assertThat(off.score().alerted())
                .as(
                        "the ungated run alerts on the clip's enrolled passes (%s)",
                        off.score().summary())
                .isNotEmpty();
        assertThat(on.score().alerted())
                .as("levers on: %s; off: %s", on.score().summary(), off.score().summary())
                .containsAll(off.score().alerted());
        assertThat(on.score().falseAlerts())
                .hasSizeLessThanOrEqualTo(off.score().falseAlerts().size());
    }

    @Test
    void theLeversSaveDetectorRunsAndEmbeddings() {
        assertThat(off.counter(FaceEmbeddingFunction.PASSES_GATED)).isZero();
        assertThat(off.counter(FaceEmbeddingFunction.FACES_NOT_REEMBEDDED)).isZero();
        assertThat(on.counter(FaceEmbeddingFunction.FRAMES_ANALYZED))
                .isEqualTo(off.counter(FaceEmbeddingFunction.FRAMES_ANALYZED))
                .isEqualTo(clip.frames().size());
        assertThat(on.counter(FaceEmbeddingFunction.PASSES_RUN))
                .isLessThan(off.counter(FaceEmbeddingFunction.PASSES_RUN) / 2);
        assertThat(on.counter(FaceEmbeddingFunction.FACES_EMBEDDED))
                .isLessThan(off.counter(FaceEmbeddingFunction.FACES_EMBEDDED));
        assertThat(on.counter(FaceEmbeddingFunction.FACES_NOT_REEMBEDDED)).isPositive();
        // The frames carry their motion preview, as ingest sends them: with the gate on, a frame
        // where nothing is to be searched is never decoded; with it off, every frame is.
        assertThat(off.counter(FaceEmbeddingFunction.FRAMES_NOT_DECODED)).isZero();
        assertThat(on.counter(FaceEmbeddingFunction.FRAMES_NOT_DECODED))
                .isPositive()
                .isLessThan(clip.frames().size());
        System.out.printf(
                "frames never decoded with the levers on: %d of %d%n",
                on.counter(FaceEmbeddingFunction.FRAMES_NOT_DECODED), clip.frames().size());
    }
}
