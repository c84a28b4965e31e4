package io.vigil.tools;

import io.vigil.common.audit.AuditLog;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.watchlist.ErasureReceipt;
import io.vigil.watchlist.WatchlistAccess;
import io.vigil.watchlist.WatchlistJson;
import io.vigil.watchlist.gallery.Gallery;
import io.vigil.watchlist.gallery.GalleryAccess;
import io.vigil.watchlist.gallery.GalleryErasure;
import io.vigil.watchlist.settings.GallerySettings;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil erase}: removes a person from the watchlist under every embedding model and, where a
 * gallery is configured, the person's bookings (by {@code person_id}) with their face crops and the
 * probes kept for case files whose searches listed them; each store audited before it changes. The
 * receipt (JSON) lists every store with what was removed and whether it was verified gone. Exit
 * status 1 when no store held the person.
 */
@Command(
        name = "erase",
        mixinStandardHelpOptions = true,
        description = {
            "Erase a person: every watchlist entry under every embedding model, with all its faces,"
                    + " and, with a gallery configured, the person's bookings (person_id), their"
                    + " face crops and the case probes whose searches listed them. Each store is"
                    + " audited before it changes; prints or writes a receipt listing every store."
        })
final class EraseCommand implements Callable<Integer> {
    @Mixin SettingsOptions settings;

    @Spec CommandSpec spec;

    @Option(names = "--external-id", required = true, paramLabel = "ID")
    String externalId;

    @Option(names = "--by", required = true, paramLabel = "WHO")
    String by;

    @Option(names = "--reason", required = true, paramLabel = "TEXT")
    String reason;

    @Option(names = "--index-dir", paramLabel = "DIR", description = "The embedded index.")
    Path indexDir;

    @Option(names = "--receipt", paramLabel = "FILE", description = "Default: standard output.")
    Path receiptFile;

    private EraseCommand() {}

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
                        WatchlistSettings.CONFIG,
                        GallerySettings.CONFIG);
        ErasureReceipt receipt;
        Clock clock = Clock.systemUTC();
        KafkaSettings kafka = new KafkaSettings(props);
        GallerySettings gallerySettings = new GallerySettings(props);
        try (AuditLog.Closeable audit = AuditLog.open(new AuditSettings(props), kafka)) {
            ModelSettings models = new ModelSettings(props);
            WatchlistSettings watchlist = new WatchlistSettings(props);
            try (WatchlistAccess access = WatchlistAccess.open(models, watchlist, audit, clock)) {
                receipt = access.with(w -> w.erase(externalId, by, reason, access.store()));
            }
            if (gallerySettings.configured()) {
                receipt =
                        eraseFromGallery(receipt, gallerySettings, watchlist, models, kafka, audit);
            }
        }
        String json = WatchlistJson.pretty(WatchlistJson.receipt(receipt));
        if (receiptFile == null) {
            spec.commandLine().getOut().println(json);
        } else {
            Files.writeString(receiptFile, json + "\n", StandardCharsets.UTF_8);
            spec.commandLine()
                    .getErr()
                    .printf("receipt %s written to %s%n", receipt.receiptId(), receiptFile);
        }
        return receipt.foundAnything() ? 0 : 1;
    }

    /** The person's bookings and their crops, then the case probes whose searches listed them. */
    private ErasureReceipt eraseFromGallery(
            ErasureReceipt receipt,
            GallerySettings settings,
            WatchlistSettings watchlist,
            ModelSettings models,
            KafkaSettings kafka,
            AuditLog audit) {
        Clock clock = Clock.systemUTC();
        GalleryErasure.Bookings b;
        String where = settings.onMilvus() ? "milvus:" + settings.milvusCollection() : "";
        try (Gallery gallery =
                GalleryAccess.gallery(
                        settings,
                        settings.onMilvus() ? watchlist : null,
                        models.resolve().embedder().embeddingDimension())) {
            b =
                    GalleryErasure.eraseBookings(
                            gallery, externalId, by, reason, receipt.receiptId(), audit, clock);
            if (where.isEmpty()) {
                where = settings.dir().toString();
            }
        }
        receipt =
                receipt.with(
                                new ErasureReceipt.Store(
                                        "gallery-index",
                                        where,
                                        b.bookingIds(),
                                        b.facesRemoved(),
                                        0,
                                        b.verifiedAbsent(),
                                        null))
                        .with(
                                new ErasureReceipt.Store(
                                        "gallery-faces",
                                        settings.facesDir().toString(),
                                        b.entryIds(),
                                        0,
                                        b.cropBytes(),
                                        b.verifiedAbsent(),
                                        null));
        GalleryErasure.Probes p =
                GalleryErasure.eraseProbes(
                        kafka,
                        java.util.Set.copyOf(b.entryIds()),
                        by,
                        reason,
                        receipt.receiptId(),
                        audit,
                        clock);
        return receipt.with(
                new ErasureReceipt.Store(
                        "case-probes",
                        kafka.topic(io.vigil.common.kafka.Topic.CASE_PROBES),
                        p.searchIds(),
                        0,
                        0,
                        p.searchIds().isEmpty(),
                        p.searchIds().isEmpty()
                                ? null
                                : "tombstoned; the broker removes them at its next compaction,"
                                        + " within about "
                                        + io.vigil.common.kafka.Topic.CASE_PROBE_SEGMENT_MS / 60_000
                                        + " minutes"));
    }
}
