package io.vigil.local.bench;

import io.vigil.index.SearchFilter;
import io.vigil.index.SearchHit;
import io.vigil.index.TestVectors;
import io.vigil.index.VectorIndex;
import io.vigil.index.WatchlistEntry;
import io.vigil.index.lucene.LuceneSearch;
import io.vigil.index.lucene.LuceneVectorIndex;
import io.vigil.index.milvus.MilvusSettings;
import io.vigil.index.milvus.MilvusTestServer;
import io.vigil.index.milvus.MilvusVectorIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Watchlist search benchmark: latency and recall@1 against an exact scan, for the Lucene index at
 * several sizes (sketch pre-filter, and exact) and for the Milvus code path (real SDK, real gRPC)
 * against the test-side server.
 *
 * <p>Vectors are 512-d unit vectors drawn at random: one per enrolled person. Every search is the
 * job's: top-1 at or above {@link #THRESHOLD}, the default model's floor (the lowest threshold it
 * allows, so the hardest for the pre-filter). "Genuine" probes sit at cosine 0.7 from an enrolled
 * vector (a typical same-person score of the default model); "borderline" probes at {@link
 * #BORDERLINE}, just above the threshold; "impostor" probes are fresh random vectors, whose best
 * match lies far below the threshold, so the right answer is no hit. Usage: {@code VectorIndexBench
 * [sizes...]}, default {@code 10000 100000 1000000}. The Milvus path runs at the smallest size
 * only, and only up to {@link #MILVUS_MAX_ENTRIES}.
 */
public final class VectorIndexBench {
    static final int DIM = 512;
    static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    static final String MODEL = "bench-model";
    static final float THRESHOLD = 0.40f;
    static final float BORDERLINE = 0.41f;

    /**
     * The test server scans exactly; beyond this it would measure its scan, not the client path.
     */
    static final int MILVUS_MAX_ENTRIES = 20_000;

    /** The exact mode scans everything: beyond this, 3,000 probes take many minutes. */
    static final int EXACT_MAX_ENTRIES = 100_000;

    private VectorIndexBench() {}

    public static void main(String[] args) throws Exception {
        int[] sizes =
                args.length == 0
                        ? new int[] {10_000, 100_000, 1_000_000}
                        : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        List<String> rows = new ArrayList<>();
        for (int n : sizes) {
            float[][] data = vectors(n, new Random(n));
            Probes probes = probes(data, n >= 1_000_000 ? 500 : 1000, new Random(n + 1));
            Path dir = Files.createTempDirectory("vigil-bench-lucene-");
            try {
                double buildS;
                try (LuceneVectorIndex lucene = LuceneVectorIndex.open(dir)) {
                    long t0 = System.nanoTime();
                    load(lucene, data);
                    lucene.forceMerge();
                    buildS = (System.nanoTime() - t0) / 1e9;
                }
                try (LuceneVectorIndex view =
                        LuceneVectorIndex.openReadOnly(dir, new LuceneSearch(false, 1))) {
                    rows.add(run("lucene, sketch pre-filter", view, data, probes, buildS, false));
                }
                if (n <= EXACT_MAX_ENTRIES) {
                    try (LuceneVectorIndex view =
                            LuceneVectorIndex.openReadOnly(dir, new LuceneSearch(true, 1))) {
                        rows.add(run("lucene, exact", view, data, probes, buildS, false));
                    }
                }
                try (LuceneVectorIndex lucene = LuceneVectorIndex.open(dir)) {
                    rows.add(run("lucene, sketch, writes", lucene, data, probes, buildS, true));
                }
            } finally {
                deleteTree(dir);
            }
            if (n == sizes[0] && n <= MILVUS_MAX_ENTRIES) {
                try (MilvusTestServer server = MilvusTestServer.start();
                        MilvusVectorIndex milvus =
                                MilvusVectorIndex.connect(
                                        MilvusSettings.defaults(server.uri(), DIM))) {
                    long t0 = System.nanoTime();
                    load(milvus, data);
                    double buildS = (System.nanoTime() - t0) / 1e9;
                    rows.add(run("milvus-sdk→test-server", milvus, data, probes, buildS, true));
                }
            }
        }
        System.out.println();
        System.out.println(
                "| backend | entries | load+index s | search p50 ms | search p99 ms | recall@1"
                        + " genuine | recall@1 borderline | impostors with no hit | upsert p50 ms"
                        + " | delete p50 ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.printf(
                Locale.ROOT,
                "%nThreshold %.2f, borderline probes at %.2f. JVM: %s, %d cores, heap max %d MB%n",
                THRESHOLD,
                BORDERLINE,
                Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    /** Probes of each kind, with the exact top-1 face of the genuine and borderline ones. */
    record Probes(
            float[][] genuine,
            int[] genuineExact,
            float[][] borderline,
            int[] borderlineExact,
            float[][] impostor) {}

    private static String run(
            String name,
            VectorIndex index,
            float[][] data,
            Probes p,
            double buildS,
            boolean writes) {
        SearchFilter filter = new SearchFilter(MODEL, NOW, TestVectors.PURPOSES);
        for (int i = 0; i < Math.min(200, p.genuine.length); i++) {
            index.searchAbove(p.impostor[i], 1, THRESHOLD, filter); // warm-up
        }
        int n = p.genuine.length;
        long[] lat = new long[3 * n];
        int genuineHits = 0;
        int borderlineHits = 0;
        int impostorsClear = 0;
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            List<SearchHit> hits = index.searchAbove(p.genuine[i], 1, THRESHOLD, filter);
            lat[3 * i] = System.nanoTime() - t;
            genuineHits += found(hits, p.genuineExact[i]);
            t = System.nanoTime();
            hits = index.searchAbove(p.borderline[i], 1, THRESHOLD, filter);
            lat[3 * i + 1] = System.nanoTime() - t;
            borderlineHits += found(hits, p.borderlineExact[i]);
            t = System.nanoTime();
            hits = index.searchAbove(p.impostor[i], 1, THRESHOLD, filter);
            lat[3 * i + 2] = System.nanoTime() - t;
            impostorsClear += hits.isEmpty() ? 1 : 0;
        }
        Arrays.sort(lat);
        int ops = writes ? 200 : 0;
        long[] upserts = new long[ops];
        long[] deletes = new long[ops];
        Random r = new Random(99);
        for (int i = 0; i < ops; i++) {
            WatchlistEntry e = entry("extra-" + i);
            float[] v = TestVectors.gaussian(DIM, r);
            long t = System.nanoTime();
            index.upsert(e, "extra-face-" + i, v);
            index.commit();
            upserts[i] = System.nanoTime() - t;
            t = System.nanoTime();
            index.deleteEntry(e.entryId());
            deletes[i] = System.nanoTime() - t;
        }
        Arrays.sort(upserts);
        Arrays.sort(deletes);
        String row =
                String.format(
                        Locale.ROOT,
                        "| %s | %,d | %.1f | %.3f | %.3f | %.4f | %.4f | %.4f | %.3f | %.3f |",
                        name,
                        data.length,
                        buildS,
                        pct(lat, 50),
                        pct(lat, 99),
                        genuineHits / (double) n,
                        borderlineHits / (double) n,
                        impostorsClear / (double) n,
                        writes ? pct(upserts, 50) : Double.NaN,
                        writes ? pct(deletes, 50) : Double.NaN);
        System.out.println(row);
        return row;
    }

    private static int found(List<SearchHit> hits, int exact) {
        return !hits.isEmpty() && hits.get(0).faceId().equals(faceId(exact)) ? 1 : 0;
    }

    private static double pct(long[] sortedNanos, int p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, i)] / 1e6;
    }

    /** Loads on all cores: both backends accept concurrent upserts. */
    static void load(VectorIndex index, float[][] data) {
        java.util.concurrent.atomic.AtomicInteger done =
                new java.util.concurrent.atomic.AtomicInteger();
        IntStream.range(0, data.length)
                .parallel()
                .forEach(
                        i -> {
                            index.upsert(entry("p" + i), faceId(i), data[i]);
                            if (done.incrementAndGet() % 100_000 == 0) {
                                System.out.printf(Locale.ROOT, "  loaded %,d%n", done.get());
                            }
                        });
        index.commit();
    }

    static String faceId(int i) {
        return "f" + i;
    }

    private static WatchlistEntry entry(String id) {
        return new WatchlistEntry(
                "e-" + id,
                id,
                "bench",
                NOW.minus(Duration.ofDays(1)),
                "BENCH-1",
                NOW.plus(Duration.ofDays(30)),
                MODEL,
                List.of("missing persons"));
    }

    static float[][] vectors(int n, Random r) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = TestVectors.gaussian(DIM, r);
        }
        return out;
    }

    /**
     * Genuine probes at cosine 0.7 and borderline ones at {@link #BORDERLINE} from random enrolled
     * vectors, impostors fresh; the exact top-1 of the first two kinds.
     */
    static Probes probes(float[][] data, int n, Random r) {
        float[][] genuine = new float[n][];
        float[][] borderline = new float[n][];
        float[][] impostor = new float[n][];
        for (int i = 0; i < n; i++) {
            genuine[i] = TestVectors.near(data[r.nextInt(data.length)], 0.7f, r);
            borderline[i] = TestVectors.near(data[r.nextInt(data.length)], BORDERLINE, r);
            impostor[i] = TestVectors.gaussian(DIM, r);
        }
        return new Probes(
                genuine, exact(data, genuine), borderline, exact(data, borderline), impostor);
    }

    private static int[] exact(float[][] data, float[][] queries) {
        return IntStream.range(0, queries.length)
                .parallel()
                .map(
                        q -> {
                            int best = -1;
                            float bestScore = Float.NEGATIVE_INFINITY;
                            for (int i = 0; i < data.length; i++) {
                                float s = dot(queries[q], data[i]);
                                if (s > bestScore) {
                                    bestScore = s;
                                    best = i;
                                }
                            }
                            return best;
                        })
                .toArray();
    }

    /** Float dot product with four accumulators, as the index computes exact scores. */
    static float dot(float[] a, float[] b) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        for (int i = 0; i < a.length; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
