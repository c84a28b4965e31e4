package io.vigil.tools;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditExport;
import io.vigil.common.audit.AuditLog;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.audit.AuditVerification;
import io.vigil.common.audit.AuditVerifier;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topic;
import io.vigil.index.IndexedEntry;
import io.vigil.index.VectorIndex;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.CameraRegistration;
import io.vigil.watchlist.WatchlistJson;
import io.vigil.watchlist.camera.KafkaCameraStore;
import io.vigil.watchlist.oversight.TransparencyReport;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil report}: reports for oversight bodies and the public. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Reports for oversight bodies and the public.",
        subcommands = ReportCommand.Transparency.class)
final class ReportCommand {
    private ReportCommand() {}

    @Command(
            name = "transparency",
            mixinStandardHelpOptions = true,
            description = {
                "Writes transparency.json and transparency.html to --out: cameras in use and"
                        + " their authorizations, the watchlist by purpose and type of legal basis,"
                        + " changes, alerts, investigation searches and their refusals in the"
                        + " period. Counts only: no name, no case number, no identifier"
                        + " of a person, no image. Reading the audit log for it is audited."
            })
    static final class Transparency implements Callable<Integer> {
        @Mixin SettingsOptions settings;

        @Spec CommandSpec spec;

        @Option(names = "--from", required = true, paramLabel = "DATE")
        String from;

        @Option(names = "--to", paramLabel = "DATE", description = "Exclusive (default: now).")
        String to;

        @Option(names = "--by", required = true, paramLabel = "WHO")
        String by;

        @Option(names = "--index-dir", paramLabel = "DIR", description = "The embedded index.")
        Path indexDir;

        @Option(
                names = "--public-key",
                paramLabel = "PEM",
                description =
                        "A trusted audit checkpoint key for the verification the report states"
                                + " (repeat for rotated keys). Default: the .pub.pem beside"
                                + " vigil.audit.signing.key.file.")
        List<Path> publicKeys = List.of();

        @Option(names = "--out", paramLabel = "DIR", description = "Default: .vigil/report.")
        Path out = Path.of(".vigil", "report");

        private Transparency() {}

        @Override
        public Integer call() throws IOException {
            if (indexDir != null) {
                settings.overrides.put(WatchlistSettings.WATCHLIST_INDEX_DIR, indexDir.toString());
            }
            Map<String, Object> props =
                    settings.load(
                            KafkaSettings.CONFIG,
                            AuditSettings.CONFIG,
                            ModelSettings.CONFIG,
                            WatchlistSettings.CONFIG);
            KafkaSettings kafka = new KafkaSettings(props);
            Instant start = AuditCommand.time(from, Instant.EPOCH);
            Instant end = AuditCommand.time(to, Instant.now());
            List<AuditEvent> events =
                    AuditExport.read(kafka.kafka(), kafka.topic(Topic.AUDIT), start, end, Set.of());
            Collection<CameraRegistration> cameras;
            try (KafkaCameraStore store =
                    new KafkaCameraStore(kafka.kafka(), kafka.topic(Topic.CAMERAS))) {
                cameras = store.all().values();
            }
            int dimension = new ModelSettings(props).resolve().embedder().embeddingDimension();
            List<IndexedEntry> watchlist;
            try (VectorIndex index = new WatchlistSettings(props).index(dimension).open(true)) {
                watchlist = index.entries();
            } catch (java.io.UncheckedIOException e) {
                // An embedded index never written holds no one: an agency that only searches its
                // gallery still reports, with an empty watchlist. Any other failure is reported.
                if (!(e.getCause() instanceof java.io.FileNotFoundException
                        || e.getCause() instanceof java.nio.file.NoSuchFileException)) {
                    throw e;
                }
                watchlist = List.of();
            }
            AuditVerifier.Result verification =
                    AuditVerification.verifyAll(
                                    kafka.kafka(),
                                    kafka.topic(Topic.AUDIT),
                                    AuditVerification.trustedKeys(
                                            new AuditSettings(props), publicKeys))
                            .result();
            Map<String, Object> report =
                    TransparencyReport.build(
                            start, end, Instant.now(), events, cameras, watchlist, verification);
            Files.createDirectories(out);
            Files.writeString(
                    out.resolve("transparency.json"),
                    WatchlistJson.pretty(report) + "\n",
                    StandardCharsets.UTF_8);
            Files.writeString(
                    out.resolve("transparency.html"),
                    TransparencyReport.html(report),
                    StandardCharsets.UTF_8);
            try (AuditLog.Closeable audit = AuditLog.open(new AuditSettings(props), kafka)) {
                audit.record(
                        AuditEvents.event(AuditEventType.AUDIT_EXPORT, by, Instant.now())
                                .setReason("transparency report")
                                .setDetails(
                                        AuditEvents.details(
                                                "from", start, "to", end, "events", events.size()))
                                .build());
            }
            spec.commandLine().getErr().printf("transparency report written to %s%n", out);
            return 0;
        }
    }
}
