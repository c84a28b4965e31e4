package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameSamplerTest {

    @Test
    void samples25FpsDownTo2Fps() {
        FrameSampler s = new FrameSampler(2);
        List<Long> kept = new ArrayList<>();
        for (long i = 0; i < 100; i++) { // 4 s at 25 fps
            long ts = i * 40_000;
            if (s.keep(ts)) {
                kept.add(ts);
            }
        }
        assertThat(kept)
                .containsExactly(
                        0L,
                        520_000L,
                        1_000_000L,
                        1_520_000L,
                        2_000_000L,
                        2_520_000L,
                        3_000_000L,
                        3_520_000L);
    }

    @Test
    void aGapDoesNotCauseABurst() {
        FrameSampler s = new FrameSampler(10);
        assertThat(s.keep(0)).isTrue();
        assertThat(s.keep(5_000_000)).isTrue();
        assertThat(s.keep(5_040_000)).isFalse();
        assertThat(s.keep(5_100_000)).isTrue();
    }

    @Test
    void resetStartsOverAfterTimestampsRestart() {
        FrameSampler s = new FrameSampler(1);
        assertThat(s.keep(10_000_000)).isTrue();
        assertThat(s.keep(0)).isFalse();
        s.reset();
        assertThat(s.keep(0)).isTrue();
    }
}
