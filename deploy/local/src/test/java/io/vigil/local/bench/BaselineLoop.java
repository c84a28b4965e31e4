package io.vigil.local.bench;

import io.vigil.index.VectorMath;
import io.vigil.schemas.Frame;
import io.vigil.vision.face.Box;
import io.vigil.vision.face.Detection;
import io.vigil.vision.face.FaceAligner;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The baseline: one plain loop over encoded frames — decode, detect, landmarks and alignment,
 * embed, exact search over the watchlist embeddings — with the job's models and ONNX settings,
 * timing each stage. No Kafka, no Flink, no quality gate or tracking.
 */
final class BaselineLoop {
    /** Nanoseconds per stage, summed, and the counts. */
    static final class Stages {
        long decode;
        long detect;
        long align;
        long embed;
        long search;
        long frames;
        long faces;
        int matches;

        void add(Stages o) {
            decode += o.decode;
            detect += o.detect;
            align += o.align;
            embed += o.embed;
            search += o.search;
            frames += o.frames;
            faces += o.faces;
            matches += o.matches;
        }
    }

    private final FaceAnalyzer analyzer;
    private final float[][] watchlist;
    private final float threshold;
    private final int minFace;

    BaselineLoop(FaceAnalyzer analyzer, float[][] watchlist, float threshold, int minFace) {
        this.analyzer = analyzer;
        this.watchlist = watchlist;
        this.threshold = threshold;
        this.minFace = minFace;
    }

    /** One pass over {@code frames}. */
    Stages run(List<Frame> frames) {
        Stages s = new Stages();
        for (Frame f : frames) {
            analyse(f, s);
        }
        return s;
    }

    /**
     * Cycles through {@code frames} until {@code nanos} have passed, finishing the frame under way,
     * so a loop keeps its core busy for the whole measurement however few frames there are.
     */
    Stages runFor(List<Frame> frames, long nanos) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames to loop over");
        }
        Stages s = new Stages();
        long end = System.nanoTime() + nanos;
        for (int i = 0; System.nanoTime() - end < 0; i = (i + 1) % frames.size()) {
            analyse(frames.get(i), s);
        }
        return s;
    }

    private void analyse(Frame f, Stages s) {
        long t0 = System.nanoTime();
        RgbImage img = decode(f.getImage());
        long t1 = System.nanoTime();
        List<Detection> boxes = analyzer.detectFaces(img);
        long t2 = System.nanoTime();
        s.decode += t1 - t0;
        s.detect += t2 - t1;
        for (Detection d : boxes) {
            Box b = d.box();
            if (b.width() < minFace || b.height() < minFace) {
                continue;
            }
            long a0 = System.nanoTime();
            RgbImage aligned =
                    FaceAligner.align(img, analyzer.alignmentPoints(img, d), analyzer.alignment());
            long a1 = System.nanoTime();
            float[] e = analyzer.embed(aligned);
            long a2 = System.nanoTime();
            float best = -1;
            for (float[] w : watchlist) {
                best = Math.max(best, VectorMath.dot(e, w));
            }
            long a3 = System.nanoTime();
            s.align += a1 - a0;
            s.embed += a2 - a1;
            s.search += a3 - a2;
            s.faces++;
            if (best >= threshold) {
                s.matches++;
            }
        }
        s.frames++;
    }

    static RgbImage decode(ByteBuffer jpeg) {
        byte[] b = new byte[jpeg.remaining()];
        jpeg.duplicate().get(b);
        try {
            return RgbImage.decode(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
