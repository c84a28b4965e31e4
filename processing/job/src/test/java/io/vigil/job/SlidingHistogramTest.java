package io.vigil.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.metrics.HistogramStatistics;
import org.junit.jupiter.api.Test;

class SlidingHistogramTest {
    @Test
    void quantilesAreOverTheLatestValuesOnly() {
        SlidingHistogram h = new SlidingHistogram();
        assertThat(h.getStatistics().getQuantile(0.99)).isZero();
        for (int i = 1; i <= 100; i++) {
            h.update(i);
        }
        HistogramStatistics s = h.getStatistics();
        assertThat(s.getQuantile(0.5)).isEqualTo(50);
        assertThat(s.getQuantile(0.99)).isEqualTo(99);
        assertThat(s.getMax()).isEqualTo(100);
        assertThat(s.getMean()).isEqualTo(50.5);
        for (int i = 0; i < SlidingHistogram.SIZE; i++) {
            h.update(1000);
        }
        assertThat(h.getStatistics().getMin()).as("old values slid out").isEqualTo(1000);
        assertThat(h.getCount()).isEqualTo(100 + SlidingHistogram.SIZE);
    }

    @Test
    void valuesOlderThanTheWindowAreLeftOut() {
        long[] now = {0};
        SlidingHistogram h = new SlidingHistogram(() -> now[0]);
        h.update(5000);
        now[0] = SlidingHistogram.WINDOW_MS / 2;
        h.update(10);
        assertThat(h.getStatistics().getMax()).isEqualTo(5000);
        now[0] = SlidingHistogram.WINDOW_MS + 1;
        assertThat(h.getStatistics().getValues()).containsExactly(10);
    }
}
