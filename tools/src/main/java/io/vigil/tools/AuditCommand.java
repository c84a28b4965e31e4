package io.vigil.tools;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditExport;
import io.vigil.common.audit.AuditLog;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topic;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        description = "The audit log: export a time range (every export is audited).",
        subcommands = AuditCommand.Export.class)
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
