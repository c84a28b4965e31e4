package io.vigil.processing.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil audit}: the arguments are checked before anything is read, and a wrong one is an
 * error that names it. The export against a real broker is {@code AuditCliITCase}.
 */
class AuditCliTest {

    /** Exit code, standard output, standard error. */
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                AuditCli.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run export(String... more) {
        String[] all = new String[3 + more.length];
        all[0] = "--set";
        all[1] = "vigil.watchlist.index.dir=unused";
        all[2] = "export";
        System.arraycopy(more, 0, all, 3, more.length);
        return run(all);
    }

    @Test
    void anExportNeedsAnActorAndAReason() {
        Run r = export("--reason", "oversight request");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--by");
        r = export("--by", "auditor-1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--reason");
    }

    @Test
    void unknownEventTypesAndCommandsAreRefused() {
        Run r = export("--by", "a", "--reason", "r", "--types", "NOT_A_TYPE");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("NOT_A_TYPE");
        r = run("--set", "vigil.watchlist.index.dir=unused", "delete", "--by", "a");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown command delete");
        r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("usage: vigil audit");
    }

    @Test
    void aDateMeansItsStartInUtcAndAnInstantIsTakenAsIs() {
        assertThat(AuditCli.time("2026-11-01", Instant.EPOCH))
                .isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(AuditCli.time("2026-11-01T12:30:00Z", Instant.EPOCH))
                .isEqualTo(Instant.parse("2026-11-01T12:30:00Z"));
        assertThat(AuditCli.time(null, Instant.EPOCH)).isEqualTo(Instant.EPOCH);
    }
}
