package io.vigil.tools;

import io.vigil.common.audit.AuditLog;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.watchlist.gallery.GalleryAccess;
import io.vigil.watchlist.gallery.InvestigationSearch;
import io.vigil.watchlist.settings.GallerySettings;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.io.IOException;
import java.io.PrintWriter;
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
 * {@code vigil search}: investigation search of the gallery with a probe photo, a case number and a
 * reason; ranked candidates, leads for a person, never an identification. {@code vigil search
 * --outcome} records what the investigator made of an earlier search. Both audited.
 */
@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        description = {
            "Investigation search: the gallery entries most similar to the probe photo's face,"
                + " ranked. Needs a case number and a reason; every search is audited; the probe is"
                + " not stored. "
                    + InvestigationSearch.BANNER,
            "With --outcome, records what came of an earlier search instead."
        })
final class SearchCommand implements Callable<Integer> {
    @Mixin SettingsOptions settings;

    @Spec CommandSpec spec;

    @Option(names = "--photo", paramLabel = "FILE", description = "The probe photo.")
    Path photo;

    @Option(names = "--case", required = true, paramLabel = "CASE")
    String caseNumber;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why this search is needed.")
    String reason;

    @Option(names = "--by", required = true, paramLabel = "WHO")
    String by;

    @Option(names = "--k", paramLabel = "K", description = "Candidates (default ${DEFAULT-VALUE}).")
    int k = 5;

    @Option(
            names = "--face",
            paramLabel = "N",
            description = "Which face of the probe (largest first).")
    Integer face;

    @Option(names = "--outcome", paramLabel = "OUTCOME", description = "${COMPLETION-CANDIDATES}")
    InvestigationSearch.Outcome outcome;

    @Option(names = "--search-id", paramLabel = "ID", description = "With --outcome.")
    String searchId;

    private SearchCommand() {}

    @Override
    public Integer call() throws IOException {
        Map<String, Object> props =
                settings.load(
                        KafkaSettings.CONFIG,
                        AuditSettings.CONFIG,
                        ModelSettings.CONFIG,
                        WatchlistSettings.CONFIG,
                        GallerySettings.CONFIG);
        KafkaSettings kafka = new KafkaSettings(props);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AuditLog.Closeable audit = AuditLog.open(new AuditSettings(props), kafka);
                GalleryAccess access = GalleryCommand.openGallery(props)) {
            InvestigationSearch search =
                    access.search(GalleryAccess.auditCount(kafka), audit, Clock.systemUTC(), kafka);
            if (outcome != null) {
                search.outcome(by, searchId, caseNumber, outcome, reason);
                out.println("outcome " + outcome + " recorded for search " + searchId);
                return 0;
            }
            if (photo == null) {
                err.println("--photo is required for a search");
                return 2;
            }
            try {
                InvestigationSearch.Result r =
                        search.search(by, caseNumber, reason, Files.readAllBytes(photo), k, face);
                out.println(InvestigationSearch.BANNER);
                out.printf(
                        "search %s, case %s: %d face(s) in the probe, floor %.3f%n",
                        r.searchId(), r.caseNumber(), r.facesInProbe(), r.floor());
                if (r.candidates().isEmpty()) {
                    out.println("no candidate at or above the floor");
                }
                for (InvestigationSearch.Candidate c : r.candidates()) {
                    out.printf(
                            "%2d  %.3f  %s  booked %s by %s (%s)%n",
                            c.rank(),
                            c.similarity(),
                            c.booking().bookingId(),
                            c.booking().bookingDate(),
                            c.booking().agency(),
                            c.booking().sourceSystem());
                }
                return 0;
            } catch (InvestigationSearch.Refused e) {
                err.println("refused: " + e.getMessage());
                return 3;
            } catch (InvestigationSearch.ChooseFace e) {
                err.println(e.getMessage() + "; run again with --face N");
                return 4;
            }
        }
    }
}
