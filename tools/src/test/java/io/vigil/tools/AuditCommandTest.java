package io.vigil.tools;

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
class AuditCommandTest {

    /** Exit code, standard output, standard error. */
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Vigil.run(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        prepend("audit", args));
        return new Run(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run export(String... more) {
        return run(prepend("export", more));
    }

    static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
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
        r = run("delete", "--by", "a");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument").contains("delete");
        r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: vigil audit").contains("export");
        r = run("--config", "/no/such/file.properties", "export", "--by", "a", "--reason", "r");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("/no/such/file.properties");
        r = run("export", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--by=ACTOR").contains("--types=TYPE");
    }

    @Test
    void aDateMeansItsStartInUtcAndAnInstantIsTakenAsIs() {
        assertThat(AuditCommand.time("2026-11-01", Instant.EPOCH))
                .isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(AuditCommand.time("2026-11-01T12:30:00Z", Instant.EPOCH))
                .isEqualTo(Instant.parse("2026-11-01T12:30:00Z"));
        assertThat(AuditCommand.time(null, Instant.EPOCH)).isEqualTo(Instant.EPOCH);
    }
}
