package io.vigil.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.GatingSettings;
import io.vigil.job.JobSettings;
import io.vigil.job.PipelineConfig;
import io.vigil.local.AlertsOnTopic;
import io.vigil.local.DemoWatchlist;
import io.vigil.local.LocalCommandLine;
import io.vigil.local.LocalStack;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Frame;
import io.vigil.vision.face.DetectorSettings;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.RegionFilter;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.gate.FaceTracks;
import io.vigil.vision.gate.MotionGate;
import io.vigil.vision.model.AssetPaths;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil bench-city}: the performance levers on a realistic city workload ({@link
 * CityWorkload}), measured side by side in one run. First a single-thread loop over the frames with
 * the levers off and on (per-stage times, detector runs and embeddings per frame); then the whole
 * stack (Kafka, Flink, index) twice, levers off and on, each fed every frame at once after a
 * warm-up: frames per second, cameras per core, alert recall against the workload's enrolled
 * passes, false alerts; then, levers on, the cameras the measured throughput sustains streamed in
 * real time: capture to analysis and capture to alert. Writes {@code city-bench.json}.
 */
public final class CityBench {

    @Command(
            name = "vigil bench-city",
            description = "Motion gate and track rules off vs on, on a realistic HD city workload.")
    static final class Options {
        @Option(names = "--cameras", paramLabel = "N", description = "Workload cameras (8).")
        int cameras = 8;

        @Option(names = "--seconds", paramLabel = "S", description = "Seconds per camera (60).")
        int seconds = 60;

        @Option(names = "--fps", paramLabel = "F", description = "Frames per camera-second (2).")
        double fps = 2;

        @Option(names = "--rate", paramLabel = "R", description = "People per camera-minute (3).")
        double rate = 3;

        @Option(
                names = "--enrolled",
                paramLabel = "SHARE",
                description = "Share of passes by the enrolled person (0.35).")
        double enrolled = 0.35;

        @Option(names = "--seed", paramLabel = "N", description = "Workload seed (1).")
        long seed = 1;

        @Option(names = "--parallelism", paramLabel = "P", description = "Job parallelism (2).")
        int parallelism = 2;

        @Option(
                names = "--loop-frames",
                paramLabel = "N",
                description = "Frames of the single-thread loop (all).")
        int loopFrames = Integer.MAX_VALUE;

        @Option(
                names = "--latency-seconds",
                paramLabel = "S",
                description =
                        "Seconds of the real-time step at the sustained camera count (60; 0 skips"
                                + " it).")
        int latencySeconds = 60;

        @Option(names = "--out", paramLabel = "DIR", description = "Report folder.")
        Path out = Path.of(".vigil", "bench-city");

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "This help.")
        boolean help;
    }

    /** The settings that turn both levers off. */
    static final Map<String, String> LEVERS_OFF =
            Map.of(
                    GatingSettings.MOTION_FULL_PASS_INTERVAL_MS, "0",
                    GatingSettings.REEMBED_INTERVAL_MS, "0");

    private final Options o;
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final int cores = Runtime.getRuntime().availableProcessors();

    CityBench(Options o) {
        this.o = o;
    }

    public static void main(String[] args) throws Exception {
        Options o = LocalCommandLine.parseOrExit(new Options(), args);
        new CityBench(o).run();
        System.exit(0);
    }

    void run() throws Exception {
        Path work = o.out.toAbsolutePath();
        PipelineBench.deleteRecursively(work);
        Files.createDirectories(work);
        CityWorkload.Settings ws =
                new CityWorkload.Settings(
                        o.cameras,
                        o.seconds,
                        o.fps,
                        1920,
                        1080,
                        o.rate,
                        o.enrolled,
                        40_000,
                        o.seed);
        CityWorkload.Workload w;
        try (FaceAnalyzer a =
                new FaceAnalyzer(
                        FaceModels.defaults(AssetPaths.root()),
                        DetectorSettings.defaults().withTileMinFace(0),
                        InferenceOptions.cpu(1))) {
            // Capture times in the past, so the whole workload lies before the job's start.
            w =
                    CityWorkload.generate(
                            ws,
                            CityWorkload.Faces.load(a),
                            Instant.now().minusSeconds(o.seconds + 300L));
        }
        System.out.printf("Vigil city bench, %d cores: %s%n", cores, w.summary());
        report.put("machine", Map.of("cores", cores, "java", System.getProperty("java.version")));
        report.put("workload", workloadReport(w));
        report.put("settings", o.settings);

        Map<String, Object> loops = new LinkedHashMap<>();
        System.out.printf(
                "%nOne thread, every frame of the workload (ms per frame; runs and faces per"
                        + " frame):%n");
        System.out.printf(
                "%-11s %8s %8s %10s %13s %13s %11s %9s%n",
                "levers",
                "decode",
                "motion",
                "detect+emb",
                "detector runs",
                "faces embedded",
                "not again",
                "frames/s");
        loops.put("off", loop(w, false, false));
        loops.put("on, every frame decoded", loop(w, true, false));
        loops.put("on", loop(w, true, true));
        report.put("singleThreadLoop", loops);

        Map<String, Object> stack = new LinkedHashMap<>();
        System.out.printf(
                "%nWhole stack (Kafka + Flink p=%d + index), every frame offered at once after a"
                        + " warm-up:%n",
                o.parallelism);
        System.out.printf(
                "%-6s %9s %12s %6s %14s %14s %26s %8s%n",
                "levers",
                "frames/s",
                "cams/core",
                "CPU",
                "runs/frame",
                "embedded/frame",
                "alert recall",
                "false");
        Map<String, Object> off = pipeline(w, work.resolve("off"), LEVERS_OFF, List.of());
        Map<String, Object> on = pipeline(w, work.resolve("on"), Map.of(), List.of());
        stack.put("off", off);
        stack.put("on", on);
        double ratio = (double) on.get("framesPerSecond") / (double) off.get("framesPerSecond");
        stack.put("framesPerSecondOnOverOff", PipelineBench.round(ratio));
        System.out.printf(
                "levers on / off: %.2fx the frames per second, so %.2fx the HD cameras per core%n",
                ratio, ratio);
        report.put("pipeline", stack);

        if (o.latencySeconds > 0) {
            // Cameras at half, 70 % and 85 % of the throughput measured at once, levers on.
            double capacity = (double) on.get("framesPerSecond") / o.fps;
            List<Integer> steps = new ArrayList<>();
            for (double share : new double[] {0.5, 0.7, 0.85}) {
                int n = Math.max(1, (int) Math.floor(share * capacity));
                if (!steps.contains(n)) {
                    steps.add(n);
                }
            }
            report.put("realTime", pipeline(w, work.resolve("realtime"), Map.of(), steps));
        }
        Path json = work.resolve("city-bench.json");
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(json.toFile(), report);
        System.out.println("\nwritten " + json);
    }

    private static Map<String, Object> workloadReport(CityWorkload.Workload w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", w.settings());
        m.put("frames", w.frames().size());
        m.put("framesWithFaces", w.framesWithFaces());
        m.put("facesShown", w.facesShown());
        m.put("mostFacesInAFrame", w.mostFacesInAFrame());
        m.put("passes", w.passes().size());
        m.put("enrolledPasses", w.enrolledPasses());
        return m;
    }

    /**
     * One thread through every frame: decode, motion gate, detect and embed. With {@code previews},
     * the gate reads each frame's motion preview, as the job does, and a frame is decoded only when
     * something is to be searched; without, every frame is decoded first.
     */
    private Map<String, Object> loop(CityWorkload.Workload w, boolean levers, boolean previews)
            throws Exception {
        Map<String, String> s = new HashMap<>(o.settings);
        if (!levers) {
            s.putAll(LEVERS_OFF);
        }
        // The loop reads only the model and gate settings; the index is never opened.
        s.putIfAbsent(
                io.vigil.watchlist.settings.WatchlistSettings.WATCHLIST_INDEX_DIR,
                o.out.resolve("unused-index").toString());
        PipelineConfig c = PipelineConfig.of(s);
        Map<String, MotionGate> gates = new HashMap<>();
        Map<String, FaceTracks> tracks = new HashMap<>();
        long decode = 0;
        long motion = 0;
        long analyse = 0;
        long embedded = 0;
        long notAgain = 0;
        long notDecoded = 0;
        int n = Math.min(o.loopFrames, w.frames().size());
        try (FaceAnalyzer a =
                new FaceAnalyzer(c.faceModels(), c.detectorSettings(), c.inferenceOptions())) {
            // Warm-up: a camera's worth of frames, not timed, on a gate of its own.
            MotionGate warmGate = new MotionGate(c.motionGate());
            for (int i = 0; i < Math.min(20, n); i++) {
                RgbImage img = decode(w.frames().get(i));
                a.analyze(
                        img,
                        c.matchQualityGate(),
                        RegionFilter.WHOLE_FRAME,
                        warmGate.observe(img, 500L * i),
                        io.vigil.vision.face.EmbedPolicy.EVERY_FACE);
            }
            long runs0 = a.detectorRuns();
            long wall0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Frame f = w.frames().get(i);
                MotionGate gate =
                        gates.computeIfAbsent(f.getCameraId(), k -> new MotionGate(c.motionGate()));
                long capture = f.getCaptureTimestamp().toEpochMilli();
                RgbImage img = null;
                MotionGate.Activity act;
                long t0 = System.nanoTime();
                if (previews) {
                    act =
                            gate.observe(
                                    bytes(f.getMotionPreview()),
                                    f.getWidth(),
                                    f.getHeight(),
                                    capture);
                    long t1 = System.nanoTime();
                    motion += t1 - t0;
                    if (act.any()) {
                        img = decode(f);
                        decode += System.nanoTime() - t1;
                    } else {
                        notDecoded++;
                    }
                } else {
                    img = decode(f);
                    long t1 = System.nanoTime();
                    decode += t1 - t0;
                    act = gate.observe(img, capture);
                    motion += System.nanoTime() - t1;
                }
                long t2 = System.nanoTime();
                FaceAnalyzer.FrameAnalysis r =
                        img == null
                                ? a.nothingToSearch(
                                        f.getWidth(), f.getHeight(), RegionFilter.WHOLE_FRAME)
                                : a.analyze(
                                        img,
                                        c.matchQualityGate(),
                                        RegionFilter.WHOLE_FRAME,
                                        act,
                                        tracks.computeIfAbsent(
                                                        f.getCameraId(),
                                                        k -> new FaceTracks(c.faceTracks()))
                                                .at(capture));
                gate.found(r.detected());
                long t3 = System.nanoTime();
                analyse += t3 - t2;
                embedded += r.faces().size();
                notAgain += r.notEmbedded();
            }
            long wall = System.nanoTime() - wall0;
            long runs = a.detectorRuns() - runs0;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("frames", n);
            m.put("decodeMsPerFrame", PipelineBench.round(decode / 1e6 / n));
            m.put("framesNotDecoded", notDecoded);
            m.put("motionGateMsPerFrame", PipelineBench.round(motion / 1e6 / n));
            m.put("detectEmbedMsPerFrame", PipelineBench.round(analyse / 1e6 / n));
            m.put("detectorRunsPerFrame", PipelineBench.round((double) runs / n));
            m.put("facesEmbeddedPerFrame", PipelineBench.round((double) embedded / n));
            m.put("facesNotEmbeddedAgainPerFrame", PipelineBench.round((double) notAgain / n));
            m.put("framesPerSecond", PipelineBench.round(n / (wall / 1e9)));
            System.out.printf(
                    Locale.ROOT,
                    "%-11s %8.1f %8.2f %10.1f %13.2f %13.3f %11.3f %9.1f%n",
                    levers ? (previews ? "on" : "on, all") : "off",
                    decode / 1e6 / n,
                    motion / 1e6 / n,
                    analyse / 1e6 / n,
                    (double) runs / n,
                    (double) embedded / n,
                    (double) notAgain / n,
                    n / (wall / 1e9));
            return m;
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private static RgbImage decode(Frame f) throws java.io.IOException {
        ByteBuffer b = f.getImage().duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return RgbImage.decode(bytes);
    }

    /**
     * The workload through a fresh stack: with no {@code realTimeSteps}, every frame at once
     * (throughput, recall); else, step by step, that many cameras streamed at the workload's frame
     * rate, frames stamped as they are sent (latency).
     */
    private Map<String, Object> pipeline(
            CityWorkload.Workload w,
            Path work,
            Map<String, String> levers,
            List<Integer> realTimeSteps)
            throws Exception {
        int realTimeCameras = realTimeSteps.stream().max(Integer::compare).orElse(0);
        int prometheus;
        try (ServerSocket free = new ServerSocket(0)) {
            prometheus = free.getLocalPort();
        }
        Map<String, String> s = new HashMap<>(o.settings);
        s.putAll(levers);
        s.put(JobSettings.PARALLELISM, String.valueOf(o.parallelism));
        s.put(JobSettings.METRICS_PROMETHEUS_PORT, String.valueOf(prometheus));
        s.put(JobSettings.CHECKPOINT_DIR, work.resolve("checkpoints").toString());
        List<String> cameras = new ArrayList<>(w.cameras());
        for (int i = cameras.size(); i < realTimeCameras; i++) {
            cameras.add(String.format(Locale.ROOT, "city-cam-%03d", i));
        }
        cameras.add("city-warm-up");
        try (LocalStack stack = LocalStack.start(work, s, 4 * o.parallelism)) {
            PipelineConfig c = stack.config();
            stack.registerCameras(cameras.toArray(String[]::new));
            stack.enroll(
                    DemoWatchlist.prepare(AssetPaths.root(), work.resolve("watchlist-photos")),
                    "vigil-bench",
                    "BENCH (sample data, no real case)",
                    Instant.now().plus(Duration.ofDays(1)),
                    LocalStack.TEST_PURPOSES);
            JobClient job = stack.submitJob(false);
            PipelineBench.AlertLatencies latencies = new PipelineBench.AlertLatencies(c);
            latencies.start();
            try (KafkaFramePublisher publisher =
                    new KafkaFramePublisher(
                            stack.bootstrapServers(),
                            c.framesTopic(),
                            new Properties(),
                            KafkaFramePublisher.Overflow.BLOCK,
                            KafkaFramePublisher.DEFAULT_MAX_QUEUED_FRAMES)) {
                // Warm-up (JIT, sessions, Kafka): the first camera's frames on a camera of its own.
                List<Frame> warm =
                        w.frames().stream()
                                .filter(f -> f.getCameraId().equals(w.cameras().get(0)))
                                .limit(60)
                                .map(f -> Frame.newBuilder(f).setCameraId("city-warm-up").build())
                                .toList();
                warm.forEach(publisher::publish);
                publisher.flush();
                long done = PipelineBench.awaitAnalysed(job, warm.size(), Duration.ofMinutes(5));
                if (realTimeSteps.isEmpty()) {
                    return throughput(w, job, publisher, stack, levers, done);
                }
                System.out.printf(
                        "%nLevers on, cameras streamed in real time at %.1f fps, %d s a step, each"
                                + " camera at its own phase:%n",
                        o.fps, o.latencySeconds);
                System.out.printf(
                        "%8s %9s %10s %8s %5s %26s %22s %9s%n",
                        "cameras",
                        "offered/s",
                        "analysed/s",
                        "backlog",
                        "CPU",
                        "capture->analysis p50/p99",
                        "capture->alert p50/p99",
                        "revisions");
                List<Map<String, Object>> rows = new ArrayList<>();
                for (int n : realTimeSteps) {
                    rows.add(realTime(w, job, publisher, cameras, n, prometheus, latencies));
                }
                return Map.of("steps", rows);
            } finally {
                latencies.stop();
                job.cancel().get();
            }
        }
    }

    private Map<String, Object> throughput(
            CityWorkload.Workload w,
            JobClient job,
            KafkaFramePublisher publisher,
            LocalStack stack,
            Map<String, String> levers,
            long before)
            throws Exception {
        Map<String, Object> acc0 = job.getAccumulators().get();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        w.frames().forEach(publisher::publish);
        publisher.flush();
        long analysed =
                PipelineBench.awaitAnalysed(
                        job, before + w.frames().size(), Duration.ofMinutes(30));
        long wall = System.nanoTime() - t0;
        double cpu = (os.getProcessCpuTime() - cpu0) / (double) wall / cores;
        Map<String, Object> acc = job.getAccumulators().get();
        // Alerts from the last frames are committed with the next checkpoints: read until two
        // reads 2 s apart agree.
        List<Alert> alerts = List.of();
        for (int tries = 0; tries < 15; tries++) {
            Thread.sleep(2000);
            List<Alert> again = AlertsOnTopic.all(stack);
            if (tries > 0 && again.size() == alerts.size()) {
                break;
            }
            alerts = again;
        }
        CityWorkload.Recall recall = CityWorkload.recall(w, alerts);
        if (!recall.missed().isEmpty()) {
            System.out.println("enrolled passes without an alert: " + recall.missed());
        }
        int n = w.frames().size();
        double fps = n / (wall / 1e9);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("levers", levers.isEmpty() ? "on" : "off");
        m.put("frames", n);
        m.put("framesAnalysed", analysed - before);
        m.put("seconds", PipelineBench.round(wall / 1e9));
        m.put("framesPerSecond", PipelineBench.round(fps));
        m.put("camerasPerCore", PipelineBench.round(fps / o.fps / cores));
        m.put("coresPerCamera", PipelineBench.round(cores * o.fps / fps));
        m.put("cpuUtilisation", PipelineBench.round(cpu));
        m.put("detectorRunsPerFrame", per(acc0, acc, FaceEmbeddingFunction.PASSES_RUN, n));
        m.put("detectorPassesGatedPerFrame", per(acc0, acc, FaceEmbeddingFunction.PASSES_GATED, n));
        m.put("facesEmbeddedPerFrame", per(acc0, acc, FaceEmbeddingFunction.FACES_EMBEDDED, n));
        m.put(
                "facesNotEmbeddedAgainPerFrame",
                per(acc0, acc, FaceEmbeddingFunction.FACES_NOT_REEMBEDDED, n));
        m.put("enrolledPasses", recall.enrolled().size());
        m.put("enrolledPassesAlerted", recall.alerted().size());
        m.put("alertRecall", PipelineBench.round(recall.rate()));
        m.put("enrolledPassesMissed", recall.missed());
        m.put("falseAlerts", recall.falseAlerts());
        System.out.printf(
                Locale.ROOT,
                "%-6s %9.2f %12.3f %5.0f%% %14.2f %14.3f %26s %8d%n",
                m.get("levers"),
                fps,
                fps / o.fps / cores,
                100 * cpu,
                (double) m.get("detectorRunsPerFrame"),
                (double) m.get("facesEmbeddedPerFrame"),
                recall.alerted().size() + " of " + recall.enrolled().size() + " passes",
                recall.falseAlerts().size());
        return m;
    }

    private static double per(
            Map<String, Object> before, Map<String, Object> after, String counter, int frames) {
        return PipelineBench.round(
                (LocalStack.counter(after, counter) - LocalStack.counter(before, counter))
                        / (double) frames);
    }

    /** {@code n} cameras replaying the workload's frames in real time, stamped as sent. */
    private Map<String, Object> realTime(
            CityWorkload.Workload w,
            JobClient job,
            KafkaFramePublisher publisher,
            List<String> cameras,
            int n,
            int prometheus,
            PipelineBench.AlertLatencies latencies)
            throws Exception {
        Map<String, List<Frame>> byCamera = new LinkedHashMap<>();
        for (Frame f : w.frames()) {
            byCamera.computeIfAbsent(f.getCameraId(), k -> new ArrayList<>()).add(f);
        }
        List<List<Frame>> sources = new ArrayList<>(byCamera.values());
        long periodNanos = (long) (1e9 / o.fps);
        long before = PipelineBench.analysed(job);
        long cpu0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        long published = 0;
        for (long tick = 0; System.nanoTime() - start < o.latencySeconds * 1_000_000_000L; tick++) {
            long sleep = start + tick * periodNanos - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            // Cameras are not in step: each sends its frame at its own phase of the period.
            for (int c = 0; c < n; c++) {
                long due = start + tick * periodNanos + c * periodNanos / n;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Instant now = Instant.now();
                List<Frame> src = sources.get(c % sources.size());
                Frame f = src.get((int) (tick % src.size()));
                publisher.publish(
                        Frame.newBuilder(f)
                                .setCameraId(cameras.get(c))
                                .setSequence(tick)
                                .setCaptureTimestamp(now)
                                .setIngestTimestamp(now)
                                .build());
                published++;
            }
        }
        long wall = System.nanoTime() - start;
        long after = PipelineBench.analysed(job);
        double[] q = PipelineBench.captureToAnalysis(prometheus);
        List<Long> alertMs = latencies.between(startMillis, System.currentTimeMillis());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cameras", n);
        m.put("offeredFramesPerSecond", PipelineBench.round(published / (wall / 1e9)));
        m.put("analysedFramesPerSecond", PipelineBench.round((after - before) / (wall / 1e9)));
        m.put("backlogFramesAtEnd", before + published - after);
        m.put(
                "cpuUtilisation",
                PipelineBench.round((os.getProcessCpuTime() - cpu0) / (double) wall / cores));
        m.put("captureToAnalysisMsP50", q[0]);
        m.put("captureToAnalysisMsP99", q[2]);
        m.put("alertRevisions", alertMs.size());
        m.put("captureToAlertMsP50", PipelineBench.percentile(alertMs, 0.5));
        m.put("captureToAlertMsP99", PipelineBench.percentile(alertMs, 0.99));
        System.out.printf(
                Locale.ROOT,
                "%8d %9.1f %10.1f %8d %4.0f%% %26s %22s %9d%n",
                n,
                published / (wall / 1e9),
                (after - before) / (wall / 1e9),
                before + published - after,
                100 * (double) m.get("cpuUtilisation"),
                String.format(Locale.ROOT, "%.0f / %.0f ms", q[0], q[2]),
                String.format(
                        Locale.ROOT,
                        "%d / %d ms",
                        PipelineBench.percentile(alertMs, 0.5),
                        PipelineBench.percentile(alertMs, 0.99)),
                alertMs.size());
        // Let the backlog drain before the next step.
        PipelineBench.awaitAnalysed(job, before + published, Duration.ofSeconds(120));
        return m;
    }
}
