package io.vigil.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.vision.model.AssetPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end on a Lucene index directory, as an operator would run it. */
class WatchlistCommandTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(Path index, String... args) {
        out.reset();
        err.reset();
        // No broker here: audit events go to the logger (the CLI's Kafka audit is in deploy's ITs).
        String[] argv = new String[args.length + 5];
        argv[0] = "watchlist";
        argv[1] = "--index-dir";
        argv[2] = index.toString();
        argv[3] = "--set";
        argv[4] = "vigil.audit.sink=log";
        System.arraycopy(args, 0, argv, 5, args.length);
        return Vigil.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                argv);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Enrols the photos of {@code photos} as nicolas.cage, as an analyst would. */
    int enrolCage(Path index, Path photos) {
        return run(
                index,
                "enroll",
                "nicolas.cage",
                photos.toString(),
                "--by",
                "alice",
                "--legal-basis",
                "CASE-1",
                "--purpose",
                "missing persons",
                "--expires-in-days",
                "10",
                "--quality",
                "low");
    }

    @Test
    void enrolListRemoveThroughTheCommandLine(@TempDir Path tmp) throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(AssetPaths.media("cage.jpg"), photos.resolve("1.jpg"));
        Files.copy(AssetPaths.media("cage2_crop.jpg"), photos.resolve("2.jpg"));
        Path index = tmp.resolve("index");

        assertThat(enrolCage(index, photos)).as(err.toString()).isZero();
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
    void eraseWritesAReceipt(@TempDir Path tmp) throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(AssetPaths.media("cage.jpg"), photos.resolve("1.jpg"));
        Path index = tmp.resolve("index");
        assertThat(enrolCage(index, photos)).isZero();
        Path receipt = tmp.resolve("receipt.json");
        out.reset();
        err.reset();
        int code =
                Vigil.run(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        "erase",
                        "--index-dir",
                        index.toString(),
                        "--set",
                        "vigil.audit.sink=log",
                        "--external-id",
                        "nicolas.cage",
                        "--by",
                        "dpo-1",
                        "--reason",
                        "subject request 12",
                        "--receipt",
                        receipt.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(Files.readString(receipt))
                .contains("\"verifiedAbsent\" : true")
                .contains("\"legalBasis\" : \"CASE-1\"")
                .contains("\"erasedBy\" : \"dpo-1\"");
        assertThat(run(index, "show", "nicolas.cage")).isEqualTo(1);
    }

    @Test
    void badUsageNamesTheProblem(@TempDir Path tmp) {
        assertThat(
                        run(
                                tmp,
                                "enroll",
                                "x",
                                tmp.toString(),
                                "--by",
                                "a",
                                "--legal-basis",
                                "C",
                                "--purpose",
                                "p"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--expires");
        assertThat(
                        run(
                                tmp,
                                "enroll",
                                "x",
                                tmp.toString(),
                                "--by",
                                "a",
                                "--legal-basis",
                                "C",
                                "--expires-in-days",
                                "1"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--purpose");
        assertThat(run(tmp, "frobnicate")).isEqualTo(2);
        assertThat(Vigil.run(new PrintStream(out), new PrintStream(err), "watchlist", "--help"))
                .isZero();
        assertThat(out()).contains("Usage: vigil watchlist").contains("enroll");
        assertThat(run(tmp, "list", "--set", "vigil.watchlist.backend=cassandra")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("vigil.watchlist.backend");
    }
}
