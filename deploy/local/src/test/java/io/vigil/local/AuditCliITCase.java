package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.common.audit.AuditExport;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.tools.Vigil;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil audit export} and {@code vigil cameras list} against a real KRaft broker: the events
 * written by camera registration come back as JSON Lines, filtered by type, and the export is
 * itself audited. Both run on a configuration with no index directory and a model manifest that
 * does not exist: they read only the Kafka and audit settings.
 */
class AuditCliITCase {

    @Test
    void exportWritesTheRequestedEventsAndAuditsItself(@TempDir Path work) throws Exception {
        try (LocalStack stack = LocalStack.start(work, Map.of(), 1)) {
            stack.registerCameras("cam-a", "cam-b");
            Path config = work.resolve("vigil.properties");
            Properties p = new Properties();
            stack.config().originals().forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
            p.remove(WatchlistSettings.WATCHLIST_INDEX_DIR);
            p.setProperty(ModelSettings.MODEL_EMBEDDER, work.resolve("missing.json").toString());
            try (Writer w = Files.newBufferedWriter(config)) {
                p.store(w, null);
            }
            Path out = work.resolve("audit.jsonl");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code =
                    Vigil.run(
                            new PrintStream(new ByteArrayOutputStream(), true),
                            new PrintStream(err, true, StandardCharsets.UTF_8),
                            new String[] {
                                "audit",
                                "--config",
                                config.toString(),
                                "export",
                                "--by",
                                "auditor-1",
                                "--reason",
                                "oversight board request 7",
                                "--types",
                                "CAMERA_REGISTERED",
                                "--out",
                                out.toString()
                            });
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
            ByteArrayOutputStream listed = new ByteArrayOutputStream();
            assertThat(
                            Vigil.run(
                                    new PrintStream(listed, true, StandardCharsets.UTF_8),
                                    new PrintStream(err, true, StandardCharsets.UTF_8),
                                    "cameras",
                                    "--config",
                                    config.toString(),
                                    "list"))
                    .as(err.toString(StandardCharsets.UTF_8))
                    .isZero();
            assertThat(listed.toString(StandardCharsets.UTF_8)).contains("cam-a").contains("cam-b");
            List<String> lines = Files.readAllLines(out);
            assertThat(lines).hasSize(2);
            assertThat(lines).allSatisfy(l -> assertThat(l).contains("CAMERA_REGISTERED"));
            assertThat(String.join("\n", lines)).contains("cam-a").contains("cam-b");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("2 audit events written");

            List<AuditEvent> exports =
                    AuditExport.read(
                            stack.config().kafka(),
                            stack.config().auditTopic(),
                            Instant.EPOCH,
                            Instant.now().plusSeconds(1),
                            Set.of(AuditEventType.AUDIT_EXPORT.name()));
            assertThat(exports).hasSize(1);
            AuditEvent e = exports.get(0);
            assertThat(e.getActor()).isEqualTo("auditor-1");
            assertThat(e.getReason()).isEqualTo("oversight board request 7");
            assertThat(e.getDetails())
                    .containsEntry("types", "CAMERA_REGISTERED")
                    .containsEntry("events", "2");
        }
    }
}
