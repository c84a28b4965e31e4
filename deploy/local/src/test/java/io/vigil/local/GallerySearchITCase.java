package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.common.audit.AuditExport;
import io.vigil.job.PipelineConfig;
import io.vigil.job.WatchlistMatchingJob;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.tools.Vigil;
import io.vigil.vision.face.FaceCrops;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.camera.CameraRegistry;
import io.vigil.watchlist.gallery.GalleryRecord;
import io.vigil.watchlist.settings.GallerySettings;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Investigation search on real parts: a gallery imported from a manifest of real photos (with an
 * unreadable file, a photo without a face, a photo of two people, a malformed row and a repeated
 * booking; a WebP and a PNG photo), searched with other photos of gallery people (JPEG, WebP, PNG)
 * through the CLI against a real broker; refusals audited; the audit records each search and holds
 * no image; no topic holds the probe; the live job refuses the gallery as a watchlist.
 */
class GallerySearchITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int code, String out, String err) {}

    private static Run vigil(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Vigil.run(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        args);
        return new Run(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void importSearchRefuseAndAudit(@TempDir Path work) throws Exception {
        Path photos = work.resolve("bookings");
        Files.createDirectories(photos);
        for (String f :
                List.of(
                        "franck_01829.jpg",
                        "franck_02221.jpg",
                        "cage.jpg",
                        "audrey.jpg",
                        "sean_guru2_crop.jpg")) {
            Files.copy(AssetPaths.media(f), photos.resolve(f));
        }
        TestPhotos.png(AssetPaths.media("SeanConnery.jpg"), photos.resolve("SeanConnery.png"));
        Files.write(photos.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Files.copy(
                AssetPaths.root().resolve("backgrounds/building.jpg"), photos.resolve("empty.jpg"));
        Files.write(photos.resolve("two.jpg"), sideBySide("cage.jpg", "audrey.jpg"));
        // A WebP photo named .jpg, as phones and booking systems produce them.
        TestPhotos.webp(AssetPaths.media("obama4_crop.jpg"), photos.resolve("obama.jpg"));
        Path manifest = work.resolve("bookings.csv");
        Files.writeString(
                manifest,
                String.join(
                                "\n",
                                "booking_id,photo,booking_date,agency,source_system,purge_at,purge_on_request,person_id",
                                "B-1001,franck_01829.jpg,2025-03-02,County"
                                        + " Sheriff,JMS-7,2032-01-01,,P-7781",
                                "B-1002,cage.jpg,2024-11-20,County Sheriff,JMS-7,,true,",
                                "B-1003,audrey.jpg,2023-06-01,\"City Police,"
                                        + " North\",RMS,2031-06-01,,",
                                "B-1004,SeanConnery.png,2022-01-15,County"
                                        + " Sheriff,JMS-7,2030-01-15,,",
                                "B-1005,broken.jpg,2022-01-15,County Sheriff,JMS-7,2030-01-15,,",
                                "B-1006,empty.jpg,2022-01-15,County Sheriff,JMS-7,2030-01-15,,",
                                "B-1007,two.jpg,2022-01-15,County Sheriff,JMS-7,2030-01-15,,",
                                "B-1008,cage.jpg,not-a-date,County Sheriff,JMS-7,2030-01-15,,",
                                "B-1009,obama.jpg,2021-07-04,County Sheriff,JMS-7,2030-01-15,,",
                                "B-1002,cage.jpg,2024-11-20,County Sheriff,JMS-7,,true,",
                                // A second booking of the same person, and one past its retention.
                                "B-1011,franck_02221.jpg,2025-09-14,County"
                                        + " Sheriff,JMS-7,2032-01-01,,P-7781",
                                "B-1012,sean_guru2_crop.jpg,2019-05-01,County"
                                        + " Sheriff,JMS-7,2020-05-01,,")
                        + "\n");
        Path webpProbe = work.resolve("probe-cage.jpg");
        TestPhotos.webp(AssetPaths.media("cage2_crop.jpg"), webpProbe);

        try (LocalStack stack = LocalStack.start(work.resolve("stack"), Map.of(), 1)) {
            Path gallery = work.resolve("gallery");
            Path config = work.resolve("vigil.properties");
            Properties p = new Properties();
            stack.config().originals().forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
            p.setProperty(GallerySettings.GALLERY_DIR, gallery.toString());
            p.setProperty(GallerySettings.SEARCH_DAILY_QUOTA, "3");
            try (Writer w = Files.newBufferedWriter(config)) {
                p.store(w, null);
            }
            Path report = work.resolve("report.jsonl");
            Run imported =
                    vigil(
                            "gallery",
                            "--config",
                            config.toString(),
                            "import",
                            "--manifest",
                            manifest.toString(),
                            "--photos",
                            photos.toString(),
                            "--by",
                            "records-clerk",
                            "--threads",
                            "2",
                            "--report",
                            report.toString());
            assertThat(imported.code()).as(imported.err()).isZero();
            assertThat(imported.err()).contains("12/12 photos").contains("6 imported");
            Map<String, JsonNode> byLine = new HashMap<>();
            for (String l : Files.readAllLines(report)) {
                JsonNode n = JSON.readTree(l);
                byLine.put(n.path("line").asText(), n);
            }
            assertThat(status(byLine, 2)).isEqualTo("IMPORTED");
            assertThat(status(byLine, 4)).isEqualTo("IMPORTED");
            assertThat(status(byLine, 5)).as("PNG").isEqualTo("IMPORTED");
            assertThat(reasons(byLine, 6)).isEqualTo("[\"UNREADABLE_IMAGE\"]");
            assertThat(reasons(byLine, 7)).isEqualTo("[\"NO_FACE_DETECTED\"]");
            assertThat(reasons(byLine, 8)).isEqualTo("[\"SEVERAL_FACES\"]");
            assertThat(reasons(byLine, 9)).contains("MANIFEST_ERROR").contains("not-a-date");
            assertThat(status(byLine, 10)).as("WebP").isEqualTo("IMPORTED");
            assertThat(status(byLine, 11)).isEqualTo("ALREADY_IMPORTED");
            assertThat(status(byLine, 12)).isEqualTo("IMPORTED");
            assertThat(reasons(byLine, 13)).contains("RETENTION_PASSED");

            Run again =
                    vigil(
                            "gallery",
                            "--config",
                            config.toString(),
                            "import",
                            "--manifest",
                            manifest.toString(),
                            "--photos",
                            photos.toString(),
                            "--by",
                            "records-clerk",
                            "--report",
                            work.resolve("again.jsonl").toString());
            assertThat(again.code()).isZero();
            assertThat(again.err()).as("a rerun imports nothing new").contains("0 imported");

            // Another photo of a gallery person: rank 1.
            Path probe = AssetPaths.media("franck_02683.jpg");
            Run found =
                    vigil(
                            "search",
                            "--config",
                            config.toString(),
                            "--photo",
                            probe.toString(),
                            "--case",
                            "CASE-2026-0412",
                            "--reason",
                            "robbery suspect, store camera still",
                            "--by",
                            "det-jones");
            assertThat(found.code()).as(found.err()).isZero();
            assertThat(found.out())
                    .contains("not an identification")
                    .containsPattern(
                            "(?m)^ 1  0\\.\\d{3}  B-10(01  booked 2025-03-02|11  booked 2025-09-14)"
                                    + " by County Sheriff")
                    .containsPattern("(?m)^ 2  0\\.\\d{3}  B-10(01|11) ");

            Run noCase =
                    vigil(
                            "search",
                            "--config",
                            config.toString(),
                            "--photo",
                            probe.toString(),
                            "--case",
                            " ",
                            "--reason",
                            "x",
                            "--by",
                            "det-jones");
            assertThat(noCase.code()).isEqualTo(3);
            assertThat(noCase.err()).contains("case number");
            // Two more real probes of gallery people, a WebP and a PNG; with them the quota (3 a
            // day) is used up, counted from the audit log.
            Path pngProbe =
                    TestPhotos.png(
                            AssetPaths.media("audrey_crop.jpg"), work.resolve("probe-audrey.png"));
            Map<Path, String> more = Map.of(webpProbe, "B-1002", pngProbe, "B-1003");
            for (var m : more.entrySet()) {
                Run r =
                        vigil(
                                "search",
                                "--config",
                                config.toString(),
                                "--photo",
                                m.getKey().toString(),
                                "--case",
                                "CASE-2026-0413",
                                "--reason",
                                "fraud",
                                "--by",
                                "det-jones");
                assertThat(r.code()).as(r.err()).isZero();
                assertThat(r.out())
                        .as("%s", m.getKey())
                        .containsPattern("(?m)^ 1  0\\.\\d{3}  " + m.getValue() + " ");
            }
            Run over =
                    vigil(
                            "search",
                            "--config",
                            config.toString(),
                            "--photo",
                            probe.toString(),
                            "--case",
                            "CASE-2026-0412",
                            "--reason",
                            "again",
                            "--by",
                            "det-jones");
            assertThat(over.code()).isEqualTo(3);
            assertThat(over.err()).contains("daily quota");

            List<AuditEvent> audit =
                    AuditExport.read(
                            stack.config().kafka(),
                            stack.config().auditTopic(),
                            Instant.EPOCH,
                            Instant.now().plusSeconds(1),
                            Set.of());
            AuditEvent first =
                    audit.stream()
                            .filter(e -> e.getType() == AuditEventType.INVESTIGATION_SEARCH)
                            .findFirst()
                            .orElseThrow();
            String franck =
                    GalleryRecord.entryId(
                            "B-1001",
                            new ModelSettings(stack.config().originals()).resolve().embedderId());
            assertThat(first.getActor()).isEqualTo("det-jones");
            assertThat(first.getReason()).isEqualTo("robbery suspect, store camera still");
            assertThat(first.getDetails())
                    .containsEntry("case", "CASE-2026-0412")
                    .containsEntry("probeSha256", sha256(Files.readAllBytes(probe)))
                    .containsKeys("floor", "modelId");
            assertThat(first.getDetails().get("candidates")).contains(franck + "@");
            assertThat(audit)
                    .filteredOn(e -> e.getType() == AuditEventType.INVESTIGATION_SEARCH_REFUSED)
                    .extracting(e -> e.getDetails().get("refusal"))
                    .containsExactly("NO_CASE_NUMBER", "OVER_QUOTA");
            assertThat(audit)
                    .extracting(AuditEvent::getType)
                    .contains(AuditEventType.GALLERY_IMPORT);

            // The probe is not stored: no topic holds a slice of it.
            byte[] probeBytes = Files.readAllBytes(probe);
            byte[] slice =
                    java.util.Arrays.copyOfRange(
                            probeBytes, probeBytes.length / 2, probeBytes.length / 2 + 64);
            for (io.vigil.common.kafka.Topic t : io.vigil.common.kafka.Topic.values()) {
                String topic = stack.config().kafkaSettings().topic(t);
                List<byte[]> values = new ArrayList<>();
                io.vigil.common.kafka.TopicReplay.fromBeginning(
                        stack.config().kafka(), topic, r -> values.add(r.value()));
                for (byte[] v : values) {
                    assertThat(RawTopic.contains(v, slice)).as(topic).isFalse();
                }
            }

            // An operator who keeps probes for case files: on their own topic, with the search.
            p.setProperty(GallerySettings.KEEP_PROBES, "true");
            Path keeping = work.resolve("keeping.properties");
            try (Writer w = Files.newBufferedWriter(keeping)) {
                p.store(w, null);
            }
            Run kept =
                    vigil(
                            "search",
                            "--config",
                            keeping.toString(),
                            "--photo",
                            probe.toString(),
                            "--case",
                            "CASE-2026-0499",
                            "--reason",
                            "case file",
                            "--by",
                            "det-smith");
            assertThat(kept.code()).as(kept.err()).isZero();
            List<io.vigil.schemas.CaseProbe> probes = new ArrayList<>();
            io.vigil.common.kafka.TopicReplay.fromBeginning(
                    stack.config().kafka(),
                    stack.config().kafkaSettings().topic(io.vigil.common.kafka.Topic.CASE_PROBES),
                    r -> {
                        try {
                            probes.add(io.vigil.schemas.CaseProbe.getDecoder().decode(r.value()));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            assertThat(probes)
                    .singleElement()
                    .satisfies(
                            c -> {
                                assertThat(c.getCaseNumber()).isEqualTo("CASE-2026-0499");
                                assertThat(c.getActor()).isEqualTo("det-smith");
                                assertThat(c.getProbeSha256()).isEqualTo(sha256(probeBytes));
                                byte[] b = new byte[c.getProbe().remaining()];
                                c.getProbe().duplicate().get(b);
                                assertThat(b).isEqualTo(probeBytes);
                            });
            assertThat(
                            AuditExport.read(
                                            stack.config().kafka(),
                                            stack.config().auditTopic(),
                                            Instant.EPOCH,
                                            Instant.now().plusSeconds(1),
                                            Set.of(AuditEventType.INVESTIGATION_SEARCH.name()))
                                    .stream()
                                    .filter(e -> e.getActor().equals("det-smith"))
                                    .map(e -> e.getDetails().get("probeKept"))
                                    .toList())
                    .containsExactly("true");

            // Purge on request: the booking and its face crop are gone, audited.
            Run removed =
                    vigil(
                            "gallery",
                            "--config",
                            config.toString(),
                            "remove",
                            "--booking-id",
                            "B-1004",
                            "--by",
                            "records-clerk",
                            "--reason",
                            "court order 77");
            assertThat(removed.code()).as(removed.err()).isZero();
            String connery =
                    GalleryRecord.entryId(
                            "B-1004",
                            new ModelSettings(stack.config().originals()).resolve().embedderId());
            assertThat(Files.exists(work.resolve("gallery-faces").resolve(connery))).isFalse();
            assertThat(
                            vigil(
                                            "gallery",
                                            "--config",
                                            config.toString(),
                                            "remove",
                                            "--booking-id",
                                            "B-1004",
                                            "--by",
                                            "records-clerk",
                                            "--reason",
                                            "again")
                                    .code())
                    .isEqualTo(1);
            Run purged =
                    vigil("gallery", "--config", config.toString(), "purge", "--by", "scheduler");
            assertThat(purged.code()).as(purged.err()).isZero();
            assertThat(purged.out()).contains("0 entries");

            // Erasure of a person on record in the gallery: both bookings and their crops, and the
            // probe kept for the case whose search listed them; the receipt lists every store.
            String keptSearch = probes.get(0).getSearchId();
            Path receiptFile = work.resolve("receipt.json");
            Run erased =
                    vigil(
                            "erase",
                            "--config",
                            config.toString(),
                            "--external-id",
                            "P-7781",
                            "--by",
                            "dpo-1",
                            "--reason",
                            "subject request 31",
                            "--receipt",
                            receiptFile.toString());
            assertThat(erased.code()).as(erased.err()).isZero();
            Map<String, JsonNode> stores = new HashMap<>();
            JsonNode receipt = JSON.readTree(receiptFile.toFile());
            receipt.path("stores").forEach(n -> stores.put(n.path("store").asText(), n));
            assertThat(stores)
                    .containsOnlyKeys(
                            "watchlist-index",
                            "reference-faces",
                            "gallery-index",
                            "gallery-faces",
                            "case-probes");
            assertThat(stores.get("watchlist-index").path("removed")).isEmpty();
            assertThat(stores.get("gallery-index").path("removed").toString())
                    .isEqualTo("[\"B-1001\",\"B-1011\"]");
            assertThat(stores.get("gallery-index").path("verifiedAbsent").asBoolean()).isTrue();
            assertThat(stores.get("gallery-faces").path("bytes").asLong()).isPositive();
            assertThat(stores.get("case-probes").path("removed").toString())
                    .isEqualTo("[\"" + keptSearch + "\"]");
            assertThat(stores.get("case-probes").path("verifiedAbsent").asBoolean()).isFalse();
            assertThat(stores.get("case-probes").path("note").asText()).contains("compaction");
            assertThat(receipt.path("verifiedAbsent").asBoolean())
                    .as("pending while a probe waits for compaction")
                    .isFalse();
            for (String booking : List.of("B-1001", "B-1011")) {
                String entry =
                        GalleryRecord.entryId(
                                booking,
                                new ModelSettings(stack.config().originals())
                                        .resolve()
                                        .embedderId());
                assertThat(Files.exists(work.resolve("gallery-faces").resolve(entry)))
                        .as(booking)
                        .isFalse();
            }
            Map<String, Boolean> probeAlive = new HashMap<>();
            io.vigil.common.kafka.TopicReplay.fromBeginning(
                    stack.config().kafka(),
                    stack.config().kafkaSettings().topic(io.vigil.common.kafka.Topic.CASE_PROBES),
                    r ->
                            probeAlive.put(
                                    new String(r.key(), StandardCharsets.UTF_8),
                                    r.value() != null));
            assertThat(probeAlive).containsEntry(keptSearch, false);
            Run after =
                    vigil(
                            "search",
                            "--config",
                            config.toString(),
                            "--photo",
                            probe.toString(),
                            "--case",
                            "CASE-2026-0500",
                            "--reason",
                            "after the erasure",
                            "--by",
                            "det-smith");
            assertThat(after.code()).as(after.err()).isZero();
            assertThat(after.out()).doesNotContain("B-1001").doesNotContain("B-1011");
            assertThat(
                            AuditExport.read(
                                            stack.config().kafka(),
                                            stack.config().auditTopic(),
                                            Instant.EPOCH,
                                            Instant.now().plusSeconds(1),
                                            Set.of())
                                    .stream()
                                    .filter(
                                            e ->
                                                    receipt.path("receiptId")
                                                            .asText()
                                                            .equals(e.getDetails().get("erasure")))
                                    .map(e -> e.getType().name()))
                    .containsExactlyInAnyOrder("GALLERY_REMOVE", "CASE_PROBES_ERASED");

            // The live job, and the watchlist tools, refuse the gallery as a watchlist.
            Map<String, Object> asWatchlist = new HashMap<>(stack.config().originals());
            asWatchlist.put(WatchlistSettings.WATCHLIST_INDEX_DIR, gallery.toString());
            PipelineConfig wrong = PipelineConfig.of(asWatchlist);
            assertThatThrownBy(
                            () ->
                                    new WatchlistMatchingJob(
                                            null,
                                            CameraRegistry.EMPTY,
                                            null,
                                            null,
                                            null,
                                            null,
                                            wrong))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(WatchlistSettings.WATCHLIST_INDEX_DIR)
                    .hasMessageContaining("gallery");
        }
    }

    private static String status(Map<String, JsonNode> byLine, int line) {
        return byLine.get(String.valueOf(line)).path("status").asText();
    }

    private static String reasons(Map<String, JsonNode> byLine, int line) {
        return byLine.get(String.valueOf(line)).path("reasons").toString();
    }

    /** Two booking photos side by side: two people in one picture. */
    private static byte[] sideBySide(String left, String right) throws Exception {
        RgbImage a = RgbImage.decode(Files.readAllBytes(AssetPaths.media(left)));
        RgbImage b = RgbImage.decode(Files.readAllBytes(AssetPaths.media(right)));
        int h = Math.max(a.height(), b.height());
        int w = a.width() + b.width();
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            if (y < a.height()) {
                System.arraycopy(a.rgb(), y * a.width() * 3, px, y * w * 3, a.width() * 3);
            }
            if (y < b.height()) {
                System.arraycopy(
                        b.rgb(), y * b.width() * 3, px, (y * w + a.width()) * 3, b.width() * 3);
            }
        }
        return FaceCrops.jpeg(new RgbImage(w, h, px), 0.92f);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
