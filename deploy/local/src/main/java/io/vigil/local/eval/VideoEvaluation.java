package io.vigil.local.eval;

import io.vigil.index.Matcher;
import io.vigil.index.SearchHit;
import io.vigil.ingest.CameraProducer;
import io.vigil.ingest.CameraSpec;
import io.vigil.ingest.FramePublisher;
import io.vigil.job.DecodedFrame;
import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.WatchlistMatchFunction;
import io.vigil.job.track.TrackConsensus;
import io.vigil.job.track.TrackingSettings;
import io.vigil.schemas.Alert;
import io.vigil.schemas.FaceObservation;
import io.vigil.schemas.Frame;
import io.vigil.schemas.state.CameraTracks;
import io.vigil.vision.face.AnalyzedFace;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.face.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs labelled videos through the job's own steps, in one thread: sampling, detection, quality
 * gate, embedding, watchlist search, then {@link TrackConsensus} exactly as the track-consensus
 * operator runs it. Counts per video the faces that matched an entry (what a per-frame matcher
 * would have alerted on) and the alerts raised after consensus, right and wrong.
 */
public final class VideoEvaluation {
    /** Evaluations enrol for, and search with, this purpose only. */
    public static final List<String> PURPOSES = List.of("evaluation");

    /** A video and who is in it: a watchlist external id, or {@code null} for someone not on it. */
    public record LabelledVideo(Path video, String externalId) {}

    /** Results of one video. */
    public record Result(
            String video,
            String label,
            double seconds,
            long frames,
            long faces,
            long skippedFaces,
            long matchingFaces,
            long wrongMatchingFaces,
            long alerts,
            long wrongAlerts,
            List<Alert> alertRecords) {

        public boolean onList() {
            return label != null;
        }

        double perMinute(long n) {
            return seconds <= 0 ? 0 : n / (seconds / 60.0);
        }
    }

    private final FaceAnalyzer analyzer;
    private final Matcher matcher;
    private final QualityFilter gate;
    private final TrackingSettings tracking;
    private final long outOfOrdernessMs;
    private final double fps;
    private final double maxSeconds;

    public VideoEvaluation(
            FaceAnalyzer analyzer,
            Matcher matcher,
            QualityFilter gate,
            TrackingSettings tracking,
            long outOfOrdernessMs,
            double fps,
            double maxSeconds) {
        this.analyzer = analyzer;
        this.matcher = matcher;
        this.gate = gate;
        this.tracking = tracking;
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.fps = fps;
        this.maxSeconds = maxSeconds;
    }

    public static List<LabelledVideo> readList(Path list) throws IOException {
        List<LabelledVideo> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(list)) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int sp = l.lastIndexOf(' ');
            if (sp < 0) {
                throw new IllegalArgumentException(
                        list + " line " + n + ": expected '<video> <external id or ->'");
            }
            Path video = Path.of(l.substring(0, sp).strip());
            if (!video.isAbsolute()) {
                video = list.toAbsolutePath().getParent().resolve(video);
            }
            String label = l.substring(sp + 1);
            out.add(new LabelledVideo(video, label.equals("-") ? null : label));
        }
        return out;
    }

    public Result run(LabelledVideo v) {
        String camera = v.video().getFileName().toString();
        TrackConsensus consensus = new TrackConsensus(tracking);
        CameraTracks state = TrackConsensus.emptyState();
        List<Alert> alerts = new ArrayList<>();
        long[] counts = new long[5]; // frames, faces, skipped, matching, wrong matching
        FramePublisher sink =
                new FramePublisher() {
                    @Override
                    public void publish(Frame frame) {
                        counts[0]++;
                        long t = frame.getCaptureTimestamp().toEpochMilli();
                        for (FaceObservation o : analyze(camera, frame, counts)) {
                            if (o.getHit() != null) {
                                counts[3]++;
                                if (!o.getHit().getExternalId().equals(v.externalId())) {
                                    counts[4]++;
                                }
                            }
                            alerts.addAll(consensus.observe(state, o, t));
                        }
                        alerts.addAll(consensus.advance(state, t - outOfOrdernessMs, t));
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        CameraSpec spec = CameraSpec.of(camera, v.video().toString(), fps).withRealtime(false);
        if (maxSeconds > 0) {
            spec = spec.withMaxFrames(Math.max(1, Math.round(maxSeconds * fps)));
        }
        new CameraProducer(spec, sink).run();
        alerts.addAll(consensus.advance(state, Long.MAX_VALUE, System.currentTimeMillis()));
        List<Alert> raised = alerts.stream().filter(a -> a.getRevision() == 0).toList();
        long wrong = raised.stream().filter(a -> !a.getExternalId().equals(v.externalId())).count();
        return new Result(
                camera,
                v.externalId(),
                counts[0] / fps,
                counts[0],
                counts[1],
                counts[2],
                counts[3],
                counts[4],
                raised.size(),
                wrong,
                alerts);
    }

    private List<FaceObservation> analyze(String camera, Frame frame, long[] counts) {
        ByteBuffer b = frame.getImage().duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        RgbImage img;
        try {
            img = RgbImage.decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FaceAnalyzer.FrameAnalysis analysis = analyzer.analyze(img, gate);
        counts[1] += analysis.faces().size();
        counts[2] += analysis.skipped().size();
        DecodedFrame f = new DecodedFrame();
        f.cameraId = camera;
        f.sequence = frame.getSequence();
        f.captureTimestamp = frame.getCaptureTimestamp().toEpochMilli();
        f.ingestTimestamp = frame.getIngestTimestamp().toEpochMilli();
        f.purposes = PURPOSES.toArray(String[]::new);
        List<FaceObservation> out = new ArrayList<>();
        for (int i = 0; i < analysis.faces().size(); i++) {
            AnalyzedFace face = analysis.faces().get(i);
            SearchHit hit =
                    matcher.bestMatch(face.embedding(), Instant.now(), Set.copyOf(PURPOSES), camera)
                            .orElse(null);
            out.add(
                    WatchlistMatchFunction.observation(
                            FaceEmbeddingFunction.toRecord(f, i, face, analyzer.embedderId()),
                            hit,
                            matcher.policy().threshold()));
        }
        return out;
    }
}
