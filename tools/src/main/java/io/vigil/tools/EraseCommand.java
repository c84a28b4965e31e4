package io.vigil.tools;

import io.vigil.common.audit.AuditLog;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.watchlist.ErasureReceipt;
import io.vigil.watchlist.WatchlistAccess;
import io.vigil.watchlist.WatchlistJson;
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
 * {@code vigil erase}: removes a person from the watchlist under every embedding model, audited
 * first, and writes a receipt (JSON) for the person or the regulator. Exit status 1 when the person
 * was not on the watchlist (the receipt says so).
 */
@Command(
        name = "erase",
        mixinStandardHelpOptions = true,
        description = {
            "Erase a person: every watchlist entry under every embedding model, with all its faces."
                    + " Audited (PERSON_ERASED, listing what was removed) before anything is"
                    + " removed; prints or writes a receipt."
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
                        WatchlistSettings.CONFIG);
        ErasureReceipt receipt;
        try (AuditLog.Closeable audit =
                        AuditLog.open(new AuditSettings(props), new KafkaSettings(props));
                WatchlistAccess access =
                        WatchlistAccess.open(
                                new ModelSettings(props),
                                new WatchlistSettings(props),
                                audit,
                                Clock.systemUTC())) {
            receipt = access.with(w -> w.erase(externalId, by, reason, access.store()));
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
        return receipt.entries().isEmpty() ? 1 : 0;
    }
}
