package io.vigil.processing.watchlist;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.processing.config.AssetPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end on a Lucene index directory, as an operator would run it. */
class WatchlistCliTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(Path index, String... args) {
        out.reset();
        err.reset();
        // No broker here: audit events go to the logger (the CLI's Kafka audit is in deploy's ITs).
        String[] argv = new String[args.length + 4];
        argv[0] = "--index-dir";
        argv[1] = index.toString();
        argv[2] = "--set";
        argv[3] = "vigil.audit.sink=log";
        System.arraycopy(args, 0, argv, 4, args.length);
        return WatchlistCli.run(
                argv,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void enrolListRemoveThroughTheCommandLine(@TempDir Path tmp) throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(AssetPaths.media("cage.jpg"), photos.resolve("1.jpg"));
        Files.copy(AssetPaths.media("cage2_crop.jpg"), photos.resolve("2.jpg"));
        Path index = tmp.resolve("index");

        assertThat(
                        run(
                                index,
                                "enroll",
                                "nicolas.cage",
                                photos.toString(),
                                "--by",
                                "alice",
                                "--legal-basis",
                                "CASE-1",
                                "--expires-in-days",
                                "10",
                                "--quality",
                                "low"))
                .as(err.toString())
                .isZero();
        assertThat(out()).contains("\"indexed\"").contains("nicolas.cage");

        assertThat(run(index, "list")).isZero();
        assertThat(out())
                .contains("\"enrolledBy\" : \"alice\"")
                .contains("\"legalBasis\" : \"CASE-1\"");
        assertThat(run(index, "export", "--by", "auditor")).isZero();
        assertThat(out().lines()).hasSize(1);

        assertThat(run(index, "remove", "nicolas.cage", "--by", "bob")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--reason");
        assertThat(run(index, "remove", "nicolas.cage", "--by", "bob", "--reason", "closed"))
                .isZero();
        assertThat(out()).contains("\"removedFaces\":2");
        assertThat(run(index, "show", "nicolas.cage")).isEqualTo(1);
    }

    @Test
    void badUsageNamesTheProblem(@TempDir Path tmp) {
        assertThat(run(tmp, "enroll", "x", "--by", "a", "--legal-basis", "C")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--expires");
        assertThat(run(tmp, "frobnicate")).isEqualTo(2);
        assertThat(
                        WatchlistCli.run(
                                new String[] {"help"}, new PrintStream(out), new PrintStream(err)))
                .isZero();
        assertThat(out()).contains("usage: vigil watchlist");
        assertThat(run(tmp, "list", "--set", "vigil.watchlist.backend=cassandra")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("vigil.watchlist.backend");
    }
}
