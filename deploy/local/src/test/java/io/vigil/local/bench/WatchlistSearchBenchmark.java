package io.vigil.local.bench;

import io.vigil.index.SearchFilter;
import io.vigil.index.TestVectors;
import io.vigil.index.lucene.LuceneSearch;
import io.vigil.index.lucene.LuceneVectorIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one watchlist search as the job makes it (top-1 at or above the threshold, model and expiry
 * filter included) at 10k / 100k / 1M entries, on the embedded Lucene index (sketch pre-filter,
 * then exact scores; one thread per search, and two, which splits segments of 100k faces or more),
 * against an exact scan of the same vectors held in a float array, in the same run (the baseline).
 * Sample mode, so JMH prints the p50/p99 the targets are stated in. Data as in {@code
 * VectorIndexBench}: random 512-d unit vectors; the probes cycle through genuine (cosine 0.7 to an
 * entry), borderline (just above the threshold) and impostor (random) ones. Recall is that bench's
 * job. The Lucene index is built once per size into {@code target/bench-index} and reused.
 *
 * <p>{@code ./vigil bench-search} runs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class WatchlistSearchBenchmark {
    @Param({"10000", "100000", "1000000"})
    int entries;

    @Param({"lucene-sketch", "lucene-sketch-2-threads", "exact-scan"})
    String index;

    private float[][] data;
    private float[][] probes;
    private LuceneVectorIndex lucene;
    private final SearchFilter filter =
            new SearchFilter(VectorIndexBench.MODEL, VectorIndexBench.NOW, TestVectors.PURPOSES);
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        data = VectorIndexBench.vectors(entries, new Random(entries));
        int perKind = entries >= 1_000_000 ? 300 : 1000; // exact top-1 of each probe costs a scan
        VectorIndexBench.Probes p = VectorIndexBench.probes(data, perKind, new Random(entries + 1));
        probes = new float[3 * perKind][];
        for (int i = 0; i < perKind; i++) {
            probes[3 * i] = p.genuine()[i];
            probes[3 * i + 1] = p.borderline()[i];
            probes[3 * i + 2] = p.impostor()[i];
        }
        if (index.startsWith("lucene-sketch")) {
            Path dir = Path.of("target", "bench-index", "sketch-v1-n" + entries);
            Path done = dir.resolve("vigil-bench-complete");
            if (!Files.exists(done)) {
                try (LuceneVectorIndex w = LuceneVectorIndex.open(dir)) {
                    VectorIndexBench.load(w, data);
                    w.forceMerge();
                }
                Files.writeString(done, "built");
            }
            int threads = index.endsWith("2-threads") ? 2 : 1;
            lucene = LuceneVectorIndex.openReadOnly(dir, new LuceneSearch(false, threads));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (lucene != null) {
            lucene.close();
        }
    }

    @Benchmark
    public Object searchTopOne() {
        float[] q = probes[next++ % probes.length];
        if (lucene != null) {
            return lucene.searchAbove(q, 1, VectorIndexBench.THRESHOLD, filter);
        }
        int best = -1;
        float bestScore = VectorIndexBench.THRESHOLD;
        for (int i = 0; i < data.length; i++) {
            float s = VectorIndexBench.dot(q, data[i]);
            if (s >= bestScore) {
                bestScore = s;
                best = i;
            }
        }
        return best;
    }
}
