package io.vigil.processing.audit;

import io.vigil.processing.config.CliArgs;
import io.vigil.processing.config.PipelineConfig;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code vigil audit export}: the audit log for a time range as JSON Lines. The export itself is
 * audited (who exported which range).
 */
public final class AuditCli {
    static final String USAGE =
            """
            usage: vigil audit [--config FILE] [--set key=value]... export --by ACTOR --reason TEXT
                               [--from 2026-11-01[T00:00:00Z]] [--to ...] [--types T1,T2] [--out FILE]
            Writes the events with from <= time < to (default: everything up to now) in time order,
            one JSON object per line, to FILE or standard output.\
            """;

    private AuditCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        int usage = CliArgs.usageExit(argv, USAGE, out);
        if (usage >= 0) {
            return usage;
        }
        try {
            CliArgs a = CliArgs.parse(argv);
            if (!a.command.equals("export")) {
                throw new IllegalArgumentException("unknown command " + a.command);
            }
            PipelineConfig config = PipelineConfig.load(a.configFile, System.getenv(), a.settings);
            String actor = a.required("by");
            String reason = a.required("reason");
            Instant from = time(a.option("from", null), Instant.EPOCH);
            Instant to = time(a.option("to", null), Instant.now().plusSeconds(1));
            Set<String> types = new LinkedHashSet<>();
            for (String t : a.option("types", "").split(",")) {
                if (!t.isBlank()) {
                    types.add(AuditEventType.valueOf(t.trim()).name());
                }
            }
            try (AuditLog.Closeable audit = AuditLog.open(config)) {
                List<AuditEvent> events =
                        AuditExport.read(config.kafka(), config.auditTopic(), from, to, types);
                String file = a.option("out", null);
                if (file == null) {
                    AuditExport.writeJsonLines(events, out::println);
                } else {
                    try (Writer w =
                            Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
                        for (AuditEvent e : events) {
                            w.write(AuditExport.json(e));
                            w.write('\n');
                        }
                    }
                    err.printf("%d audit events written to %s%n", events.size(), file);
                }
                audit.record(
                        AuditEvents.event(AuditEventType.AUDIT_EXPORT, actor, Instant.now())
                                .setReason(reason)
                                .setDetails(
                                        AuditEvents.details(
                                                "from",
                                                from,
                                                "to",
                                                to,
                                                "types",
                                                types.isEmpty() ? "all" : String.join(",", types),
                                                "events",
                                                events.size()))
                                .build());
            }
            return 0;
        } catch (IllegalArgumentException | IllegalStateException | ConfigException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IOException e) {
            err.println("error: " + e);
            return 2;
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
