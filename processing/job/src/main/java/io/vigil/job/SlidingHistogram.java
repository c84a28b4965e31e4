package io.vigil.job;

import java.util.Arrays;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;

/**
 * A Flink histogram over the latest {@value #SIZE} values of the last {@value #WINDOW_MS} ms (a
 * ring buffer), so reporters such as Prometheus export recent quantiles of a stage's time without
 * another metrics library, and a quiet stage does not keep reporting an old burst.
 */
public final class SlidingHistogram implements Histogram {
    static final int SIZE = 1024;
    static final long WINDOW_MS = 15_000;

    private final long[] values = new long[SIZE];
    private final long[] times = new long[SIZE];
    private final LongSupplier clock;
    private long count;

    public SlidingHistogram() {
        this(System::currentTimeMillis);
    }

    SlidingHistogram(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void update(long value) {
        int i = (int) (count % SIZE);
        values[i] = value;
        times[i] = clock.getAsLong();
        count++;
    }

    @Override
    public synchronized long getCount() {
        return count;
    }

    @Override
    public synchronized HistogramStatistics getStatistics() {
        long since = clock.getAsLong() - WINDOW_MS;
        int n = (int) Math.min(count, SIZE);
        long[] snapshot = new long[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (times[i] >= since) {
                snapshot[kept++] = values[i];
            }
        }
        snapshot = Arrays.copyOf(snapshot, kept);
        Arrays.sort(snapshot);
        return new Statistics(snapshot);
    }

    private static final class Statistics extends HistogramStatistics {
        private final long[] sorted;

        Statistics(long[] sorted) {
            this.sorted = sorted;
        }

        @Override
        public double getQuantile(double q) {
            if (sorted.length == 0) {
                return 0;
            }
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }

        @Override
        public long[] getValues() {
            return sorted.clone();
        }

        @Override
        public int size() {
            return sorted.length;
        }

        @Override
        public double getMean() {
            return sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0);
        }

        @Override
        public double getStdDev() {
            double mean = getMean();
            return Math.sqrt(
                    Arrays.stream(sorted).mapToDouble(v -> (v - mean) * (v - mean)).sum()
                            / Math.max(1, sorted.length));
        }

        @Override
        public long getMax() {
            return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
        }

        @Override
        public long getMin() {
            return sorted.length == 0 ? 0 : sorted[0];
        }
    }
}
