package io.vigil.local.bench;

import io.vigil.index.SearchFilter;
import io.vigil.index.SearchHit;
import io.vigil.index.TestVectors;
import io.vigil.index.WatchlistEntry;
import io.vigil.index.lucene.LuceneSearch;
import io.vigil.index.lucene.LuceneVectorIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Investigation search at gallery scale on the embedded index: top-5 above the floor, latency and
 * recall@5 against the exact scan of the same index in the same run. The gallery is made of people,
 * each with 1 to 4 bookings (repeat arrests) at cosine about 0.95 from each other, 128-d like the
 * default embedder, floor 0.93 (the default embedder's); a probe is another photo of a booked
 * person (cosine about 0.95 to each of their bookings), or of someone never booked. Usage: {@code
 * GallerySearchBench [ENTRIES...]}, default {@code 305000 1000000}.
 */
public final class GallerySearchBench {
    static final int DIM = 128;
    static final float FLOOR = 0.93f;
    static final int K = 5;
    static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
    static final String MODEL = "bench-128";

    private GallerySearchBench() {}

    public static void main(String[] args) throws Exception {
        int[] sizes =
                args.length == 0
                        ? new int[] {305_000, 1_000_000}
                        : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        List<String> rows = new ArrayList<>();
        for (int n : sizes) {
            Random r = new Random(n);
            List<float[]> centres = new ArrayList<>();
            List<int[]> bookingsOf = new ArrayList<>();
            float[][] data = new float[n][];
            int i = 0;
            while (i < n) {
                float[] c = TestVectors.gaussian(DIM, r);
                double u = r.nextDouble();
                int b = u < 0.6 ? 1 : u < 0.85 ? 2 : u < 0.95 ? 3 : 4;
                b = Math.min(b, n - i);
                int[] ids = new int[b];
                for (int j = 0; j < b; j++) {
                    data[i] = TestVectors.near(c, 0.975f, r);
                    ids[j] = i++;
                }
                centres.add(c);
                bookingsOf.add(ids);
            }
            int probes = 400;
            float[][] genuine = new float[probes][];
            int[] person = new int[probes];
            float[][] stranger = new float[probes][];
            for (int p = 0; p < probes; p++) {
                person[p] = r.nextInt(centres.size());
                genuine[p] = TestVectors.near(centres.get(person[p]), 0.975f, r);
                stranger[p] = TestVectors.gaussian(DIM, r);
            }
            Path dir = Files.createTempDirectory("vigil-gallery-bench-");
            long t0 = System.nanoTime();
            try (LuceneVectorIndex index = LuceneVectorIndex.open(dir)) {
                IntStream.range(0, n)
                        .parallel()
                        .forEach(x -> index.upsert(entry(x), "f" + x, data[x]));
                index.commit();
                index.forceMerge();
            }
            double buildS = (System.nanoTime() - t0) / 1e9;
            SearchFilter filter = new SearchFilter(MODEL, NOW, Set.of("investigation"));
            try (LuceneVectorIndex sketch =
                            LuceneVectorIndex.openReadOnly(dir, new LuceneSearch(false, 1));
                    LuceneVectorIndex exact =
                            LuceneVectorIndex.openReadOnly(dir, new LuceneSearch(true, 1))) {
                for (int w = 0; w < 100; w++) {
                    sketch.searchAbove(stranger[w], K, FLOOR, filter);
                }
                long[] lat = new long[2 * probes];
                long[] exactLat = new long[probes];
                int found = 0;
                int expected = 0;
                int strangersClear = 0;
                int rank1 = 0;
                for (int p = 0; p < probes; p++) {
                    long t = System.nanoTime();
                    List<SearchHit> got = sketch.searchAbove(genuine[p], K, FLOOR, filter);
                    lat[2 * p] = System.nanoTime() - t;
                    t = System.nanoTime();
                    List<SearchHit> want = exact.searchAbove(genuine[p], K, FLOOR, filter);
                    exactLat[p] = System.nanoTime() - t;
                    Set<String> g = new HashSet<>();
                    got.forEach(h -> g.add(h.faceId()));
                    for (SearchHit h : want) {
                        expected++;
                        found += g.contains(h.faceId()) ? 1 : 0;
                    }
                    Set<String> own = new HashSet<>();
                    for (int b : bookingsOf.get(person[p])) {
                        own.add("f" + b);
                    }
                    rank1 += !got.isEmpty() && own.contains(got.get(0).faceId()) ? 1 : 0;
                    t = System.nanoTime();
                    List<SearchHit> none = sketch.searchAbove(stranger[p], K, FLOOR, filter);
                    lat[2 * p + 1] = System.nanoTime() - t;
                    strangersClear += none.isEmpty() ? 1 : 0;
                }
                Arrays.sort(lat);
                Arrays.sort(exactLat);
                String row =
                        String.format(
                                Locale.ROOT,
                                "| %,d | %,d | %.1f | %.2f | %.2f | %.1f | %.1f | %.4f | %.4f |"
                                        + " %.4f |",
                                n,
                                centres.size(),
                                buildS,
                                pct(lat, 50),
                                pct(lat, 99),
                                pct(exactLat, 50),
                                pct(exactLat, 99),
                                found / (double) Math.max(1, expected),
                                rank1 / (double) probes,
                                strangersClear / (double) probes);
                System.out.println(row);
                rows.add(row);
            } finally {
                try (var s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
        System.out.println();
        System.out.println(
                "| gallery entries | people | load+index s | top-5 p50 ms | top-5 p99 ms | exact"
                        + " scan p50 ms | exact p99 ms | recall@5 vs exact | rank-1 right person |"
                        + " strangers with no candidate |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.printf(
                Locale.ROOT,
                "%n%d-d, floor %.2f, k %d. JVM %s, %d cores, heap max %d MB%n",
                DIM,
                FLOOR,
                K,
                Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static double pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, i)] / 1e6;
    }

    private static WatchlistEntry entry(int i) {
        return new WatchlistEntry(
                "g-" + i,
                "B-" + i,
                "bench",
                NOW.minus(Duration.ofDays(1)),
                "2025-01-01\u001fCounty\u001fJMS",
                NOW.plus(Duration.ofDays(3650)),
                MODEL,
                List.of("investigation"));
    }
}
