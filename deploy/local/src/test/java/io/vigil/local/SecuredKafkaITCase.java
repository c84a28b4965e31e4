package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.common.audit.AuditExport;
import io.vigil.common.audit.AuditLog;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.audit.AuditVerification;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topics;
import io.vigil.job.PipelineConfig;
import io.vigil.job.WatchlistMatchingJob;
import io.vigil.schemas.AuditEvent;
import io.vigil.watchlist.camera.CameraAdmin;
import io.vigil.watchlist.camera.CameraRegistryFile;
import io.vigil.watchlist.camera.KafkaCameraStore;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials as the manifests pass them: {@code VIGIL_KAFKA_CLIENT_*} variables, against a real
 * broker whose listener requires SASL/PLAIN. The registry tool, the audit log, the audit export and
 * the job's registry read authenticate with them; a wrong password is refused before anything is
 * written.
 */
class SecuredKafkaITCase {
    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.startWithSaslUser(dir.resolve("kafka"), "vigil", "s3cret-pw");
        PipelineConfig plain = config("unused");
        Topics.create(broker.bootstrapServers(), Topics.all(plain.kafkaSettings(), 2));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static PipelineConfig config(String password) {
        Map<String, String> env =
                Map.of(
                        "VIGIL_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                        "VIGIL_KAFKA_CLIENT_SASL_MECHANISM", "PLAIN",
                        "VIGIL_KAFKA_CLIENT_SASL_JAAS_CONFIG",
                                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                        + " username=\"vigil\" password=\""
                                        + password
                                        + "\";");
        return PipelineConfig.load(
                null,
                env,
                Map.of(
                        KafkaSettings.BOOTSTRAP_SERVERS,
                        broker == null ? "127.0.0.1:1" : broker.saslBootstrapServers(),
                        WatchlistSettings.WATCHLIST_INDEX_DIR,
                        dir.resolve("index").toString(),
                        AuditSettings.SIGNING_KEY_FILE,
                        LocalStack.auditKey(dir).toString()));
    }

    /** What the registry tool does: imports the demo cameras, audited, with {@code c}'s client. */
    static int registerDemoCameras(PipelineConfig c, Path file, String reason) throws Exception {
        Files.copy(SecuredKafkaITCase.class.getResourceAsStream("/demo-cameras.json"), file);
        try (KafkaCameraStore store = new KafkaCameraStore(c.kafka(), c.camerasTopic());
                AuditLog.Closeable audit = AuditLog.open(c.auditSettings(), c.kafkaSettings())) {
            return new CameraAdmin(store, audit, Clock.systemUTC())
                    .register(CameraRegistryFile.read(file, "ops", reason, Instant.now()));
        }
    }

    @Test
    void toolsAuditAndTheJobsRegistryReadAuthenticateWithTheSecretsSettings() throws Exception {
        PipelineConfig c = config("s3cret-pw");
        assertThat(registerDemoCameras(c, dir.resolve("cameras.json"), "secured cluster"))
                .isPositive();
        assertThat(WatchlistMatchingJob.kafkaCameras(c).size()).isPositive();
        List<AuditEvent> events =
                AuditExport.read(
                        c.kafka(),
                        c.auditTopic(),
                        Instant.EPOCH,
                        Instant.now().plusSeconds(60),
                        Set.of());
        assertThat(events)
                .extracting(e -> e.getType().name())
                .contains("AUDIT_CHECKPOINT")
                .filteredOn(t -> !t.equals("AUDIT_CHECKPOINT"))
                .isNotEmpty()
                .allMatch(t -> t.equals("CAMERA_REGISTERED"));
        // The chain verifies over the authenticated connection too.
        assertThat(
                        AuditVerification.verifyAll(
                                        c.kafka(),
                                        c.auditTopic(),
                                        AuditVerification.trustedKeys(c.auditSettings(), List.of()))
                                .result()
                                .findings())
                .isEmpty();

        PipelineConfig wrong = config("not-the-password");
        assertThatThrownBy(
                        () -> AuditLog.open(wrong.auditSettings(), wrong.kafkaSettings()).close())
                .hasMessageContaining("not reachable")
                .hasMessageContaining("nothing was done");
    }
}
