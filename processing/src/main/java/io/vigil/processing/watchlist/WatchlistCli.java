package io.vigil.processing.watchlist;

import io.vigil.matching.IndexedEntry;
import io.vigil.matching.VectorIndex;
import io.vigil.processing.audit.AuditLog;
import io.vigil.processing.config.CliArgs;
import io.vigil.processing.config.PipelineConfig;
import io.vigil.processing.face.FaceAnalyzer;
import io.vigil.processing.face.QualityFilter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code vigil watchlist}: the command line over {@link WatchlistService}. Output is JSON, so it
 * scripts well; exit status 0 on success, 1 when the entry does not exist, 2 on a bad request.
 */
public final class WatchlistCli {
    static final String USAGE =
            """
            usage: vigil watchlist [--config FILE] [--index-dir DIR] [--set key=value]... COMMAND
              enroll EXTERNAL_ID PHOTO_OR_DIR... --by WHO --legal-basis REF (--expires YYYY-MM-DD | --expires-in-days N)
                     [--max-faces N] [--quality NONE|LOW|MEDIUM|HIGH]
              list   [--by WHO]
              show   EXTERNAL_ID [--by WHO]
              remove EXTERNAL_ID --by WHO --reason TEXT
              expire --by WHO
              export [--by WHO] [--out FILE]      JSON lines: metadata and face ids, never vectors or photos
            Settings: the config file, VIGIL_* environment variables, then --index-dir / --set.\
            """;

    private WatchlistCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || List.of("help", "--help", "-h").contains(argv[0])) {
            out.println(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        CliArgs args;
        PipelineConfig config;
        try {
            args = CliArgs.parse(argv);
            Map<String, String> overrides = new HashMap<>(args.settings);
            config = PipelineConfig.load(args.configFile, System.getenv(), overrides);
        } catch (IllegalArgumentException | ConfigException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try (FaceAnalyzer analyzer =
                        new FaceAnalyzer(
                                config.faceModels(),
                                config.detectorSettings(),
                                config.inferenceOptions());
                VectorIndex index = config.watchlistIndex().open(false);
                AuditLog.Closeable audit = AuditLog.open(config)) {
            WatchlistService service = WatchlistService.of(analyzer, index, config, audit);
            return execute(args, config, service, out);
        } catch (IllegalArgumentException | IllegalStateException | ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException | InterruptedException e) {
            err.println("error: " + e);
            return 2;
        }
    }

    static int execute(CliArgs a, PipelineConfig config, WatchlistService service, PrintStream out)
            throws IOException, InterruptedException {
        QualityFilter defaultQuality = QualityFilter.valueOf(config.watchlistQualityFilter());
        switch (a.command) {
            case "enroll" -> {
                String id = a.positional(0, "EXTERNAL_ID");
                List<Enrollment.Photo> photos = new ArrayList<>();
                for (int i = 1; i < a.positional.size(); i++) {
                    photos.addAll(WatchlistEnroller.photos(Path.of(a.positional.get(i))));
                }
                int maxFaces = Integer.parseInt(a.option("max-faces", "1"));
                QualityFilter q =
                        QualityFilter.valueOf(
                                a.option("quality", defaultQuality.name())
                                        .toUpperCase(Locale.ROOT));
                EnrollmentReport report =
                        service.enroll(
                                new Enrollment(
                                        id,
                                        photos,
                                        a.required("by"),
                                        a.required("legal-basis"),
                                        expiry(a),
                                        maxFaces,
                                        q));
                out.println(WatchlistJson.MAPPER.writeValueAsString(report));
                return report.indexedFaces() > 0 ? 0 : 1;
            }
            case "list" -> {
                out.println(
                        WatchlistJson.MAPPER.writeValueAsString(
                                service.list(a.actor()).stream()
                                        .map(WatchlistJson::entry)
                                        .toList()));
                return 0;
            }
            case "show" -> {
                Optional<IndexedEntry> e = service.show(a.positional(0, "EXTERNAL_ID"), a.actor());
                if (e.isEmpty()) {
                    out.println("{\"error\": \"no such entry\"}");
                    return 1;
                }
                out.println(WatchlistJson.MAPPER.writeValueAsString(WatchlistJson.entry(e.get())));
                return 0;
            }
            case "remove" -> {
                String id = a.positional(0, "EXTERNAL_ID");
                long removed = service.remove(id, a.required("by"), a.required("reason"));
                out.println(
                        WatchlistJson.COMPACT.writeValueAsString(
                                Map.of("externalId", id, "removedFaces", removed)));
                return removed > 0 ? 0 : 1;
            }
            case "expire" -> {
                out.println(
                        WatchlistJson.COMPACT.writeValueAsString(
                                Map.of("purgedFaces", service.expire(a.required("by")))));
                return 0;
            }
            case "export" -> {
                List<IndexedEntry> all = service.list(a.actor());
                String file = a.option("out", null);
                try (Writer w =
                        file == null
                                ? new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)
                                : Files.newBufferedWriter(Path.of(file))) {
                    for (IndexedEntry e : all) {
                        w.write(WatchlistJson.COMPACT.writeValueAsString(WatchlistJson.entry(e)));
                        w.write('\n');
                    }
                }
                return 0;
            }
            default -> throw new IllegalArgumentException("unknown command '" + a.command + "'");
        }
    }

    private static Instant expiry(CliArgs a) {
        String date = a.option("expires", null);
        String days = a.option("expires-in-days", null);
        if ((date == null) == (days == null)) {
            throw new IllegalArgumentException(
                    "give exactly one of --expires YYYY-MM-DD or --expires-in-days N");
        }
        return date != null
                ? LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant()
                : Instant.now().plus(Duration.ofDays(Long.parseLong(days)));
    }
}
