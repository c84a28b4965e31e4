package io.vigil.matching.bench;

import io.vigil.matching.LuceneVectorIndex;
import io.vigil.matching.SearchFilter;
import io.vigil.matching.VectorMath;
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
 * JMH: one top-1 watchlist search (model and expiry filter included) at 10k / 100k entries (1M with
 * {@code -p entries=1000000}), on the embedded Lucene HNSW index with the job's default candidates,
 * against an exact scan of the same vectors in the same run (the baseline). Sample mode, so JMH
 * prints the p50/p99 the targets are stated in. Data as in {@code VectorIndexBench}: random 512-d
 * unit vectors, genuine probes at cosine 0.7 from an entry. Recall is that bench's job. The Lucene
 * index is built once per size into {@code target/bench-index} and reused.
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
    @Param({"10000", "100000"})
    int entries;

    @Param({"lucene-hnsw", "exact-scan"})
    String index;

    private float[][] data;
    private float[][] probes;
    private LuceneVectorIndex lucene;
    private final SearchFilter filter =
            new SearchFilter(VectorIndexBench.MODEL, VectorIndexBench.NOW);
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        data = VectorIndexBench.vectors(entries, new Random(entries));
        probes = VectorIndexBench.probes(data, 1000, new Random(entries + 1)).genuine();
        if (index.equals("lucene-hnsw")) {
            Path dir = Path.of("target", "bench-index", "n" + entries);
            Path done = dir.resolve("vigil-bench-complete");
            if (!Files.exists(done)) {
                try (LuceneVectorIndex w = LuceneVectorIndex.open(dir)) {
                    VectorIndexBench.load(w, data);
                    w.forceMerge();
                }
                Files.writeString(done, "built");
            }
            lucene = LuceneVectorIndex.openReadOnly(dir);
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
            return lucene.search(q, 1, filter);
        }
        int best = -1;
        float bestScore = -2;
        for (int i = 0; i < data.length; i++) {
            float s = VectorMath.dot(q, data[i]);
            if (s > bestScore) {
                bestScore = s;
                best = i;
            }
        }
        return best;
    }
}
