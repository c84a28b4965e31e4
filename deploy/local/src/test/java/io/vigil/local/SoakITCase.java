package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short soak: it stops by itself, reports every interval, and loses nothing. */
class SoakITCase {
    @Test
    void aShortSoakStopsByItselfAndLosesNoFrame(@TempDir Path work) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Soak.Result r =
                new Soak(
                                Soak.Options.parse(
                                        new String[] {
                                            "--cameras", "2",
                                            "--seconds", "10",
                                            "--every", "4",
                                            "--work", work.resolve("soak").toString()
                                        }),
                                new PrintStream(buf, true, StandardCharsets.UTF_8))
                        .run();
        String report = buf.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertThat(r.samples()).hasSizeGreaterThanOrEqualTo(3);
        // 2 cameras x 2 fps x 10 s, give or take start-up.
        assertThat(r.delivered()).isBetween(30L, 50L);
        assertThat(r.lost()).isZero();
        assertThat(r.dropped()).isZero();
        assertThat(r.failed()).isZero();
        assertThat(r.analysed()).isEqualTo(r.delivered());
        assertThat(r.alerts()).as("the franck camera raises its alert").isPositive();
        assertThat(report).contains("LOST 0");
        assertThat(work.resolve("soak/soak.json")).exists();
    }
}
