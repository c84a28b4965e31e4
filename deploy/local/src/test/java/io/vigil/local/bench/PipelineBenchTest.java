package io.vigil.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineBenchTest {

    @Test
    void sustainedThroughputIsTheBestStepThatLeftABacklog() {
        List<Map<String, Object>> rows =
                List.of(
                        step(16, 32.0, 16),
                        step(32, 64.0, 70),
                        step(64, 98.7, 944),
                        step(128, 95.0, 4000));

        assertThat(PipelineBench.saturatedThroughput(rows)).hasValue(98.7);
    }

    @Test
    void stepsThatKeepUpGiveNoSustainedThroughput() {
        assertThat(PipelineBench.saturatedThroughput(List.of(step(1, 2.0, 1), step(16, 32.0, 32))))
                .isEmpty();
    }

    @Test
    void baselineSecondsDefaultsToTwentyAndMustBePositive() {
        assertThat(PipelineBench.Options.parse(new String[0]).baselineSeconds()).isEqualTo(20);
        assertThat(
                        PipelineBench.Options.parse(new String[] {"--baseline-seconds", "5"})
                                .baselineSeconds())
                .isEqualTo(5);
        assertThatThrownBy(
                        () -> PipelineBench.Options.parse(new String[] {"--baseline-seconds", "0"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--baseline-seconds");
    }

    private static Map<String, Object> step(int cameras, double analysed, long backlog) {
        return Map.of(
                "cameras", cameras,
                "analysedFramesPerSecond", analysed,
                "backlogFramesAtEnd", backlog);
    }
}
