package io.vigil.tools;

import io.vigil.common.audit.AuditLog;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.index.IndexedEntry;
import io.vigil.vision.face.QualityFilter;
import io.vigil.watchlist.Enrollment;
import io.vigil.watchlist.EnrollmentReport;
import io.vigil.watchlist.WatchlistAccess;
import io.vigil.watchlist.WatchlistEnroller;
import io.vigil.watchlist.WatchlistJson;
import io.vigil.watchlist.WatchlistService;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code vigil watchlist}: the command line over {@link WatchlistService}. Output is JSON, so it
 * scripts well; exit status 0 on success, 1 when the entry does not exist, 2 on a bad request.
 */
@Command(
        name = "watchlist",
        mixinStandardHelpOptions = true,
        description = {
            "The watchlist: enrol, list, show, remove, expire and export entries. Every change and"
                    + " every read is audited; exports hold metadata and face ids, never vectors"
                    + " or photos."
        })
final class WatchlistCommand {
    @Mixin SettingsOptions settings;

    @Spec CommandSpec spec;

    @Option(
            names = "--index-dir",
            paramLabel = "DIR",
            scope = ScopeType.INHERIT,
            description = "The embedded index (vigil.watchlist.index.dir).")
    Path indexDir;

    /** Expiry: a date or a number of days, exactly one. */
    static final class Expiry {
        @Option(names = "--expires", paramLabel = "YYYY-MM-DD", required = true)
        LocalDate date;

        @Option(names = "--expires-in-days", paramLabel = "N", required = true)
        Long days;

        Instant instant() {
            return date != null
                    ? date.atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.now().plus(Duration.ofDays(days));
        }
    }

    @Command(description = "Enrol a person from photos (files or directories).")
    int enroll(
            @Parameters(index = "0", paramLabel = "EXTERNAL_ID") String id,
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "PHOTO_OR_DIR")
                    List<Path> sources,
            @Option(names = "--by", required = true, paramLabel = "WHO") String by,
            @Option(names = "--legal-basis", required = true, paramLabel = "REF") String legalBasis,
            @Option(
                            names = "--purpose",
                            required = true,
                            paramLabel = "PURPOSE",
                            description =
                                    "What the person may be matched for (repeatable): only"
                                            + " cameras authorized for one of them search them.")
                    List<String> purposes,
            @ArgGroup(multiplicity = "1") Expiry expiry,
            @Option(
                            names = "--camera",
                            paramLabel = "CAMERA_ID",
                            description =
                                    "The only cameras the person may be matched on (repeatable;"
                                            + " default: every camera authorized for a purpose).")
                    List<String> cameras,
            @Option(names = "--max-faces", defaultValue = "1", paramLabel = "N") int maxFaces,
            @Option(
                            names = "--quality",
                            paramLabel = "FILTER",
                            description = "${COMPLETION-CANDIDATES}")
                    QualityFilter quality)
            throws IOException {
        List<Enrollment.Photo> photos = new ArrayList<>();
        for (Path p : sources) {
            photos.addAll(WatchlistEnroller.photos(p));
        }
        EnrollmentReport report =
                with(
                        (s, service) ->
                                service.enroll(
                                        new Enrollment(
                                                id,
                                                photos,
                                                by,
                                                legalBasis,
                                                expiry.instant(),
                                                maxFaces,
                                                quality != null
                                                        ? quality
                                                        : QualityFilter.valueOf(s.qualityFilter()),
                                                purposes,
                                                cameras == null ? List.of() : cameras)));
        out().println(WatchlistJson.pretty(report));
        return report.indexedFaces() > 0 ? 0 : 1;
    }

    @Command(description = "Every entry's metadata (JSON).")
    int list(@Option(names = "--by", paramLabel = "WHO") String by) throws IOException {
        List<IndexedEntry> all = with((s, service) -> service.list(actor(by)));
        out().println(WatchlistJson.pretty(all.stream().map(WatchlistJson::entry).toList()));
        return 0;
    }

    @Command(description = "One entry's metadata; exit 1 when there is none.")
    int show(
            @Parameters(paramLabel = "EXTERNAL_ID") String id,
            @Option(names = "--by", paramLabel = "WHO") String by)
            throws IOException {
        Optional<IndexedEntry> e = with((s, service) -> service.show(id, actor(by)));
        if (e.isEmpty()) {
            out().println("{\"error\": \"no such entry\"}");
            return 1;
        }
        out().println(WatchlistJson.pretty(WatchlistJson.entry(e.get())));
        return 0;
    }

    @Command(description = "Remove an entry and its faces; exit 1 when there is none.")
    int remove(
            @Parameters(paramLabel = "EXTERNAL_ID") String id,
            @Option(names = "--by", required = true, paramLabel = "WHO") String by,
            @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason)
            throws IOException {
        long removed = with((s, service) -> service.remove(id, by, reason));
        out().println(WatchlistJson.compact(Map.of("externalId", id, "removedFaces", removed)));
        return removed > 0 ? 0 : 1;
    }

    @Command(description = "Purge the entries past their expiry.")
    int expire(@Option(names = "--by", required = true, paramLabel = "WHO") String by)
            throws IOException {
        long purged = with((s, service) -> service.expire(by));
        out().println(WatchlistJson.compact(Map.of("purgedFaces", purged)));
        return 0;
    }

    @Command(description = "JSON lines: metadata and face ids, never vectors or photos.")
    int export(
            @Option(names = "--by", paramLabel = "WHO") String by,
            @Option(names = "--out", paramLabel = "FILE") Path file)
            throws IOException {
        List<IndexedEntry> all = with((s, service) -> service.list(actor(by)));
        Writer w = file == null ? out() : Files.newBufferedWriter(file);
        try {
            for (IndexedEntry e : all) {
                w.write(WatchlistJson.compact(WatchlistJson.entry(e)));
                w.write('\n');
            }
        } finally {
            if (file == null) {
                w.flush();
            } else {
                w.close();
            }
        }
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Read-only commands default to the OS user. */
    private static String actor(String by) {
        return by != null ? by : System.getProperty("user.name");
    }

    private interface Operation<T> {
        T apply(WatchlistSettings settings, WatchlistService service) throws IOException;
    }

    /** Kafka, audit, model and watchlist settings: the configured service for one operation. */
    private <T> T with(Operation<T> operation) {
        if (indexDir != null) {
            settings.overrides.put(WatchlistSettings.WATCHLIST_INDEX_DIR, indexDir.toString());
        }
        Map<String, Object> props =
                settings.load(
                        KafkaSettings.CONFIG,
                        AuditSettings.CONFIG,
                        ModelSettings.CONFIG,
                        WatchlistSettings.CONFIG);
        WatchlistSettings watchlist = new WatchlistSettings(props);
        try (AuditLog.Closeable audit =
                        AuditLog.open(new AuditSettings(props), new KafkaSettings(props));
                WatchlistAccess access =
                        WatchlistAccess.open(
                                new ModelSettings(props), watchlist, audit, Clock.systemUTC())) {
            Function<WatchlistService, T> f =
                    service -> {
                        try {
                            return operation.apply(watchlist, service);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    };
            return access.with(f);
        }
    }
}
