package io.vigil.tools;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditLog;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.index.IndexedEntry;
import io.vigil.schemas.AuditEventType;
import io.vigil.vision.face.QualityFilter;
import io.vigil.watchlist.gallery.GalleryAccess;
import io.vigil.watchlist.gallery.GalleryImporter;
import io.vigil.watchlist.gallery.GalleryRetention;
import io.vigil.watchlist.settings.GallerySettings;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vigil gallery}: booking-photo galleries for investigation search (never watchlists). */
@Command(
        name = "gallery",
        mixinStandardHelpOptions = true,
        description = {
            "Galleries of booking photos, searched only by investigation search with a case"
                    + " number; the live job refuses a gallery as a watchlist."
        },
        subcommands = {
            GalleryCommand.Import.class,
            GalleryCommand.Purge.class,
            GalleryCommand.Remove.class
        })
final class GalleryCommand {
    @Mixin SettingsOptions settings;

    private GalleryCommand() {}

    /** Runs an operation with the audit log and the gallery open, as purge and remove do. */
    int withGallery(java.util.function.BiFunction<AuditLog, GalleryAccess, Integer> operation) {
        Map<String, Object> props = props();
        try (AuditLog.Closeable audit =
                        AuditLog.open(new AuditSettings(props), new KafkaSettings(props));
                GalleryAccess access = openGallery(props)) {
            return operation.apply(audit, access);
        }
    }

    /** The gallery of these settings, on its backend (Milvus takes the watchlist's connection). */
    static GalleryAccess openGallery(Map<String, Object> props) {
        GallerySettings gs = new GallerySettings(props);
        return GalleryAccess.open(
                new ModelSettings(props), gs, gs.onMilvus() ? new WatchlistSettings(props) : null);
    }

    Map<String, Object> props() {
        return settings.load(
                KafkaSettings.CONFIG,
                AuditSettings.CONFIG,
                ModelSettings.CONFIG,
                WatchlistSettings.CONFIG,
                GallerySettings.CONFIG);
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Imports the photos of a CSV manifest (booking_id, photo, booking_date, agency,"
                        + " source_system, purge_at | purge_on_request) on every core;"
                        + " resumable: a rerun skips what is done. One JSON line per row to"
                        + " --report; progress on standard error."
            })
    static final class Import implements Callable<Integer> {
        @ParentCommand GalleryCommand gallery;

        @Spec CommandSpec spec;

        @Option(names = "--manifest", required = true, paramLabel = "CSV")
        Path manifest;

        @Option(names = "--photos", required = true, paramLabel = "DIR")
        Path photos;

        @Option(names = "--by", required = true, paramLabel = "WHO")
        String by;

        @Option(
                names = "--report",
                paramLabel = "FILE",
                description = "Default: import-report.jsonl")
        Path report = Path.of("import-report.jsonl");

        @Option(names = "--threads", paramLabel = "N", description = "Default: every core.")
        Integer threads;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> props = gallery.props();
            GallerySettings gs = new GallerySettings(props);
            PrintWriter err = spec.commandLine().getErr();
            long[] lastPrint = {0};
            GalleryImporter.Progress done;
            try (AuditLog.Closeable audit =
                            AuditLog.open(new AuditSettings(props), new KafkaSettings(props));
                    GalleryAccess access = openGallery(props);
                    Writer out = Files.newBufferedWriter(report, StandardCharsets.UTF_8)) {
                QualityFilter quality =
                        QualityFilter.valueOf(new WatchlistSettings(props).qualityFilter());
                done =
                        access.importer(quality, audit, Clock.systemUTC())
                                .importAll(
                                        manifest,
                                        photos,
                                        by,
                                        threads == null ? gs.importThreads() : threads,
                                        r -> {
                                            try {
                                                out.write(r.reportLine());
                                                out.write('\n');
                                            } catch (IOException e) {
                                                throw new java.io.UncheckedIOException(e);
                                            }
                                        },
                                        p -> {
                                            long now = System.nanoTime();
                                            if (now - lastPrint[0] > 1_000_000_000L
                                                    || p.done() == p.rows()) {
                                                lastPrint[0] = now;
                                                err.printf(
                                                        "\r%d/%d photos, %d imported, %.1f faces/s,"
                                                                + " ETA %s, rejected %s   ",
                                                        p.done(),
                                                        p.rows(),
                                                        p.imported(),
                                                        p.facesPerSecond(),
                                                        eta(p.etaSeconds()),
                                                        p.rejected());
                                                err.flush();
                                            }
                                        });
            }
            err.printf(
                    "%n%d rows: %d imported, %d rejected %s; report: %s%n",
                    done.rows(),
                    done.imported(),
                    done.rejected().values().stream().mapToInt(Integer::intValue).sum(),
                    done.rejected(),
                    report);
            return 0;
        }

        private static String eta(long s) {
            return s < 0 ? "-" : String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
        }
    }

    @Command(
            name = "purge",
            mixinStandardHelpOptions = true,
            description = "Purges every gallery entry whose retention date has passed (audited).")
    static final class Purge implements Callable<Integer> {
        @ParentCommand GalleryCommand gallery;

        @Spec CommandSpec spec;

        @Option(names = "--by", required = true, paramLabel = "WHO")
        String by;

        @Override
        public Integer call() {
            return gallery.withGallery(
                    (audit, access) -> {
                        GalleryRetention.Purged p =
                                GalleryRetention.purge(access.gallery(), audit, by, Instant.now());
                        spec.commandLine()
                                .getOut()
                                .printf(
                                        "%d entries (%d faces) purged%n",
                                        p.bookingIds().size(), p.faces());
                        return 0;
                    });
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Removes one booking (purge on request), audited first.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand GalleryCommand gallery;

        @Spec CommandSpec spec;

        @Option(names = "--booking-id", required = true, paramLabel = "ID")
        String bookingId;

        @Option(names = "--by", required = true, paramLabel = "WHO")
        String by;

        @Option(names = "--reason", required = true, paramLabel = "TEXT")
        String reason;

        @Override
        public Integer call() {
            return gallery.withGallery(
                    (audit, access) -> {
                        var index = access.gallery().index();
                        Optional<IndexedEntry> found =
                                index.entries().stream()
                                        .filter(e -> e.entry().externalId().equals(bookingId))
                                        .findFirst();
                        audit.record(
                                AuditEvents.event(AuditEventType.GALLERY_REMOVE, by, Instant.now())
                                        .setExternalId(bookingId)
                                        .setReason(reason)
                                        .setDetails(AuditEvents.details("found", found.isPresent()))
                                        .build());
                        if (found.isEmpty()) {
                            spec.commandLine().getErr().println("no booking " + bookingId);
                            return 1;
                        }
                        String entryId = found.get().entry().entryId();
                        index.deleteEntry(entryId);
                        index.commit();
                        access.gallery().faces().deleteEntry(entryId);
                        spec.commandLine().getOut().println("removed " + bookingId);
                        return 0;
                    });
        }
    }
}
