package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.local.cluster.ClusterProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped artifacts on a real multi-process cluster: three Kafka nodes, a Flink JobManager and
 * two TaskManagers, ingest from its app jar, each a process at its own address; the shaded job jar
 * submitted through the REST API. A TaskManager running half the job is killed (SIGKILL) in the
 * middle of an enrolled person's pass: the job restarts on the other TaskManager from its last
 * checkpoint, the killed one is started again and rejoins, and the pass raises its one alert
 * exactly once, with every frame counted once.
 */
class ClusterTaskManagerKillITCase {
    static final int FRAMES = 50;

    @Test
    void taskManagerKilledMidPassLosesAndDuplicatesNothing(@TempDir Path work) throws Exception {
        try (ClusterPass pass = ClusterPass.prepare(work, "vgt", 2, FRAMES, Map.of())) {
            String job = pass.start();
            assertThat(pass.rest().taskManagersOf(job)).containsExactlyInAnyOrder("tm1", "tm2");
            pass.awaitAnalysed(FRAMES / 3);
            ClusterProcess tm = pass.cluster.process("tm2");
            long killedAt = System.nanoTime();
            tm.kill();
            long recoveryMs = pass.awaitRecovered(job, "tm2", killedAt);
            // The job runs again on the remaining TaskManager alone.
            assertThat(pass.rest().taskManagersOf(job)).containsExactly("tm1");
            tm.start();
            io.vigil.local.cluster.LocalCluster.await(
                    () -> pass.rest().taskManagers() == 2,
                    Duration.ofMinutes(2),
                    "the restarted TaskManager to register");

            ClusterPass.Outcome o = pass.finish("kill -9 TaskManager", recoveryMs);
            o.assertExact(FRAMES);
        }
    }
}
