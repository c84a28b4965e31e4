package io.vigil.tools;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditExport;
import io.vigil.common.audit.AuditKeys;
import io.vigil.common.audit.AuditLog;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.audit.AuditVerification;
import io.vigil.common.audit.AuditVerifier;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topic;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vigil audit}: the audit log, read back; reading it is itself audited. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "The audit log: export a time range, verify its hash chains and signed checkpoints,"
                    + " make a signing key. Exports and verifications are audited."
        },
        subcommands = {
            AuditCommand.Export.class,
            AuditCommand.Verify.class,
            AuditCommand.Keygen.class
        })
final class AuditCommand {
    @Mixin SettingsOptions settings;

    private AuditCommand() {}

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = {
                "Writes the events with from <= time < to (default: everything up to now) in time"
                        + " order, one JSON object per line, to FILE or standard output."
            })
    static final class Export implements Callable<Integer> {
        @ParentCommand AuditCommand audit;

        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--by", required = true, paramLabel = "ACTOR", description = "Who.")
        String actor;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why.")
        String reason;

        @Option(
                names = "--from",
                paramLabel = "DATE",
                description = "2026-11-01 or 2026-11-01T00:00:00Z (default: the beginning).")
        String from;

        @Option(names = "--to", paramLabel = "DATE", description = "Exclusive (default: now).")
        String to;

        @Option(
                names = "--types",
                split = ",",
                paramLabel = "TYPE",
                description = "Only these event types: ${COMPLETION-CANDIDATES}.")
        List<AuditEventType> types = List.of();

        @Option(names = "--out", paramLabel = "FILE", description = "Default: standard output.")
        Path out;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> props =
                    audit.settings.load(KafkaSettings.CONFIG, AuditSettings.CONFIG);
            KafkaSettings kafka = new KafkaSettings(props);
            Instant start = time(from, Instant.EPOCH);
            Instant end = time(to, Instant.now().plusSeconds(1));
            Set<String> names = new LinkedHashSet<>();
            types.forEach(t -> names.add(t.name()));
            try (AuditLog.Closeable log = AuditLog.open(new AuditSettings(props), kafka)) {
                List<AuditEvent> events =
                        AuditExport.read(
                                kafka.kafka(), kafka.topic(Topic.AUDIT), start, end, names);
                if (out == null) {
                    AuditExport.writeJsonLines(events, spec.commandLine().getOut()::println);
                } else {
                    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                        for (AuditEvent e : events) {
                            w.write(AuditExport.json(e));
                            w.write('\n');
                        }
                    }
                    spec.commandLine()
                            .getErr()
                            .printf("%d audit events written to %s%n", events.size(), out);
                }
                log.record(
                        AuditEvents.event(AuditEventType.AUDIT_EXPORT, actor, Instant.now())
                                .setReason(reason)
                                .setDetails(
                                        AuditEvents.details(
                                                "from",
                                                start,
                                                "to",
                                                end,
                                                "types",
                                                names.isEmpty() ? "all" : String.join(",", names),
                                                "events",
                                                events.size()))
                                .build());
            }
            return 0;
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Re-reads the audit topic and checks every writer's hash chain and signed"
                        + " checkpoints. Reports, by partition@offset, each event altered, missing,"
                        + " cut off at the start, claimed twice, reordered, added without the key"
                        + " (never covered by a signed checkpoint), a bad or unknown signature, a"
                        + " gap in checkpoints, and each head of an earlier --heads export that is"
                        + " gone. Exit code 0: intact; 1: findings."
            })
    static final class Verify implements Callable<Integer> {
        @ParentCommand AuditCommand audit;

        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--by", required = true, paramLabel = "ACTOR", description = "Who.")
        String actor;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why.")
        String reason;

        @Option(
                names = "--from",
                paramLabel = "DATE",
                description =
                        "Start reading here (default: the beginning, where every chain must"
                                + " start at its first event).")
        String from;

        @Option(
                names = "--to",
                paramLabel = "DATE",
                description = "Report only events before this (default: all).")
        String to;

        @Option(
                names = "--public-key",
                paramLabel = "PEM",
                description =
                        "A trusted checkpoint key (repeat for rotated keys). Default: the"
                                + " .pub.pem beside vigil.audit.signing.key.file.")
        List<Path> publicKeys = List.of();

        @Option(
                names = "--grace",
                paramLabel = "DURATION",
                description =
                        "Added to each writer's checkpoint interval before an unsigned event is"
                                + " reported (default: ${DEFAULT-VALUE}).")
        Duration grace = AuditVerification.DEFAULT_GRACE;

        @Option(
                names = "--heads",
                paramLabel = "FILE",
                description =
                        "Chain heads exported by an earlier verify; each must still be there.")
        Path earlierHeads;

        @Option(
                names = "--heads-out",
                paramLabel = "FILE",
                description =
                        "Write this run's chain heads and partition offsets here: keep them"
                                + " outside Kafka (another volume, an object-store sync).")
        Path headsOut;

        @Override
        public Integer call() {
            Map<String, Object> props =
                    audit.settings.load(KafkaSettings.CONFIG, AuditSettings.CONFIG);
            KafkaSettings kafka = new KafkaSettings(props);
            AuditSettings auditSettings = new AuditSettings(props);
            List<PublicKey> keys = AuditVerification.trustedKeys(auditSettings, publicKeys);
            Instant start = from == null ? null : time(from, null);
            Instant end = time(to, null);
            List<AuditVerifier.Head> heads =
                    earlierHeads == null ? List.of() : AuditVerification.readHeads(earlierHeads);
            PrintWriter out = spec.commandLine().getOut();
            try (AuditLog.Closeable log = AuditLog.open(auditSettings, kafka)) {
                long t0 = System.nanoTime();
                AuditVerification.Report report =
                        AuditVerification.verify(
                                kafka.kafka(),
                                kafka.topic(Topic.AUDIT),
                                start,
                                new AuditVerifier(keys, grace, start == null, heads),
                                Instant.now());
                double seconds = (System.nanoTime() - t0) / 1e9;
                AuditVerifier.Result r =
                        end == null ? report.result() : report.result().before(end);
                StringBuilder parts = new StringBuilder();
                report.partitions()
                        .forEach(
                                (p, o) ->
                                        parts.append(' ')
                                                .append(p)
                                                .append(":[")
                                                .append(o[0])
                                                .append(',')
                                                .append(o[1])
                                                .append(')'));
                out.printf(
                        "%s: %d records, %d writers, %d signed checkpoints, %d events awaiting"
                                + " their checkpoint; partitions%s; %.1f s%n",
                        report.topic(),
                        r.records(),
                        r.writers(),
                        r.checkpoints(),
                        r.pending(),
                        parts,
                        seconds);
                r.findings().forEach(f -> out.println(f));
                out.println(r.intact() ? "INTACT" : r.findings().size() + " FINDINGS: not intact");
                out.flush();
                if (headsOut != null) {
                    AuditVerification.writeHeads(report, headsOut);
                    spec.commandLine()
                            .getErr()
                            .printf("%d chain heads written to %s%n", r.heads().size(), headsOut);
                }
                log.record(
                        AuditEvents.event(AuditEventType.AUDIT_VERIFY, actor, Instant.now())
                                .setReason(reason)
                                .setDetails(
                                        AuditEvents.details(
                                                "from",
                                                start == null ? "beginning" : start,
                                                "to",
                                                to == null ? "end" : end,
                                                "records",
                                                r.records(),
                                                "findings",
                                                r.findings().size(),
                                                "intact",
                                                r.intact()))
                                .build());
                return r.intact() ? 0 : 1;
            }
        }
    }

    @Command(
            name = "keygen",
            mixinStandardHelpOptions = true,
            description = {
                "Makes an Ed25519 key pair for audit checkpoints: DIR/audit-signing.pem (owner"
                        + " only; put it in a Secret) and DIR/audit-signing.pub.pem (publish it)."
            })
    static final class Keygen implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where.")
        Path dir;

        @Override
        public Integer call() {
            if (Files.exists(dir.resolve("audit-signing.pem"))) {
                spec.commandLine()
                        .getErr()
                        .println(dir.resolve("audit-signing.pem") + " exists; not replaced");
                return 1;
            }
            KeyPair pair = AuditKeys.generate();
            Path key = AuditKeys.write(pair, dir);
            spec.commandLine()
                    .getOut()
                    .printf(
                            "%s (private) and %s (public), key id %s%n",
                            key, AuditKeys.publicKeyBeside(key), AuditKeys.keyId(pair.getPublic()));
            return 0;
        }
    }

    /** An instant, or a date meaning its start (UTC). */
    static Instant time(String value, Instant fallback) {
        if (value == null) {
            return fallback;
        }
        return value.contains("T")
                ? Instant.parse(value)
                : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
