package io.vigil.processing.job;

import java.util.Arrays;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;

/**
 * A Flink histogram over the latest {@value #SIZE} values (a ring buffer), so reporters such as
 * Prometheus export recent quantiles of a stage's time without another metrics library.
 */
public final class SlidingHistogram implements Histogram {
    static final int SIZE = 1024;

    private final long[] values = new long[SIZE];
    private long count;

    @Override
    public synchronized void update(long value) {
        values[(int) (count % SIZE)] = value;
        count++;
    }

    @Override
    public synchronized long getCount() {
        return count;
    }

    @Override
    public synchronized HistogramStatistics getStatistics() {
        long[] snapshot = Arrays.copyOf(values, (int) Math.min(count, SIZE));
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
