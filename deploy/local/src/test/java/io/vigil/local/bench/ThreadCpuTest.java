package io.vigil.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void threadsAreGroupedByWhatTheirOsNamesSay() {
        assertThat(ThreadCpu.group("decode-frames -")).isEqualTo("job: frame analysis");
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("JIT compiler");
        assertThat(ThreadCpu.group("GC Thread#0")).isEqualTo("GC and VM");
        assertThat(ThreadCpu.group("data-plane-kafk")).isEqualTo("Kafka broker");
        assertThat(ThreadCpu.group("kafka-producer-"))
                .isEqualTo("Kafka producers (publisher, sinks)");
        assertThat(ThreadCpu.group("track-consensus")).isEqualTo("job: sources, tracking, sinks");
        assertThat(ThreadCpu.group("flink-pekko.act")).isEqualTo("Flink runtime");
        assertThat(ThreadCpu.group("something-else")).isEqualTo("other");
    }

    @Test
    void coresAreTheGroupsCpuSecondsOverTheWallTimeCountingNewThreadsFromZero() {
        Map<String, Map.Entry<String, Double>> before =
                Map.of(
                        "1", Map.entry("decode-frames -", 10.0),
                        "2", Map.entry("C2 CompilerThre", 4.0));
        Map<String, Map.Entry<String, Double>> after =
                Map.of(
                        "1", Map.entry("decode-frames -", 25.0),
                        "2", Map.entry("C2 CompilerThre", 5.0),
                        "3", Map.entry("decode-frames -", 3.0));

        Map<String, Double> cores = ThreadCpu.coresByGroup(before, after, 10);

        assertThat(cores)
                .containsExactly(
                        Map.entry("job: frame analysis", 1.8), Map.entry("JIT compiler", 0.1));
    }

    @Test
    void aSnapshotOfThisProcessHasThisThreadWhereProcExists() {
        Map<String, Map.Entry<String, Double>> now = ThreadCpu.snapshot();
        if (Files.isDirectory(Path.of("/proc/self/task"))) {
            assertThat(now).isNotEmpty();
            assertThat(now.values()).allSatisfy(e -> assertThat(e.getValue()).isNotNegative());
        } else {
            assertThat(now).isEmpty();
        }
    }
}
