package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.common.audit.AuditExport;
import io.vigil.console.Console;
import io.vigil.console.ConsoleConfig;
import io.vigil.console.Role;
import io.vigil.console.Users;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.tools.Vigil;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.settings.GallerySettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Investigation search as its overseers see it, on real parts: a gallery imported with the CLI,
 * searches over the console's HTTP API with JPEG, PNG and WebP probes, every refusal answered with
 * its status and audited (no case number 400, an analyst 403, over the daily quota 429), and the
 * transparency report ({@code vigil report transparency}) counting searches, cases, investigators,
 * outcomes and refusals from the audit log without naming a case or a person.
 */
class InvestigationOversightITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery staple";

    @Test
    void searchesAndRefusalsAreAnsweredAuditedAndReported(@TempDir Path work) throws Exception {
        Path photos = work.resolve("bookings");
        Files.createDirectories(photos);
        for (String f : List.of("franck_01829.jpg", "cage.jpg", "audrey.jpg")) {
            Files.copy(AssetPaths.media(f), photos.resolve(f));
        }
        Path manifest = work.resolve("bookings.csv");
        Files.writeString(
                manifest,
                "booking_id,photo,booking_date,agency,source_system,purge_at,purge_on_request\n"
                        + "B-1001,franck_01829.jpg,2025-03-02,County Sheriff,JMS-7,2032-01-01,\n"
                        + "B-1002,cage.jpg,2024-11-20,County Sheriff,JMS-7,,true\n"
                        + "B-1003,audrey.jpg,2023-06-01,City Police,RMS,2031-06-01,\n");
        Path users = work.resolve("users.txt");
        Files.write(
                users,
                List.of(
                        Users.line("det-jones", Role.INVESTIGATOR, PASSWORD.toCharArray(), 1000),
                        Users.line("analyst", Role.ANALYST, PASSWORD.toCharArray(), 1000)));
        Instant start = Instant.now().minusSeconds(60);
        try (LocalStack stack = LocalStack.start(work.resolve("stack"), Map.of(), 1)) {
            Map<String, Object> props = new HashMap<>(stack.config().originals());
            props.put(GallerySettings.GALLERY_DIR, work.resolve("gallery").toString());
            props.put(GallerySettings.SEARCH_DAILY_QUOTA, "3");
            Path config = work.resolve("vigil.properties");
            Properties p = new Properties();
            props.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
            try (Writer w = Files.newBufferedWriter(config)) {
                p.store(w, null);
            }
            assertThat(
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
                                    work.resolve("report.jsonl").toString()))
                    .isZero();
            props.put(ConsoleConfig.USERS_FILE, users.toString());
            props.put(ConsoleConfig.BIND, "127.0.0.1:0");
            String searchId;
            try (Console console = Console.start(new ConsoleConfig(props))) {
                ConsoleApi analyst = ConsoleApi.login(console.port(), "analyst", PASSWORD);
                ConsoleApi jones = ConsoleApi.login(console.port(), "det-jones", PASSWORD);
                byte[] jpeg = Files.readAllBytes(AssetPaths.media("franck_02683.jpg"));

                assertThat(analyst.post("/api/search", probe("CASE-2026-0412", jpeg)).status())
                        .isEqualTo(403);
                ConsoleApi.Answer noCase = jones.post("/api/search", probe(" ", jpeg));
                assertThat(noCase.status()).isEqualTo(400);
                assertThat(noCase.body().path("error").asText()).contains("case number");

                ConsoleApi.Answer found = jones.post("/api/search", probe("CASE-2026-0412", jpeg));
                assertThat(found.status()).as(found.body().toString()).isEqualTo(200);
                assertThat(found.body().path("candidates").path(0).path("bookingId").asText())
                        .isEqualTo("B-1001");
                searchId = found.body().path("searchId").asText();
                byte[] png =
                        Files.readAllBytes(
                                TestPhotos.png(
                                        AssetPaths.media("cage2_crop.jpg"),
                                        work.resolve("probe.png")));
                byte[] webp =
                        Files.readAllBytes(
                                TestPhotos.webp(
                                        AssetPaths.media("audrey_crop.jpg"),
                                        work.resolve("probe.webp")));
                for (var m : Map.of("B-1002", png, "B-1003", webp).entrySet()) {
                    ConsoleApi.Answer a =
                            jones.post("/api/search", probe("CASE-2026-0413", m.getValue()));
                    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
                    assertThat(a.body().path("candidates").path(0).path("bookingId").asText())
                            .as("rank 1 for the probe of %s", m.getKey())
                            .isEqualTo(m.getKey());
                }
                assertThat(
                                jones.post(
                                                "/api/search/" + searchId + "/outcome",
                                                Map.of(
                                                        "outcome",
                                                        "CORROBORATED",
                                                        "note",
                                                        "matched the store receipt"))
                                        .status())
                        .isEqualTo(200);
                ConsoleApi.Answer over = jones.post("/api/search", probe("CASE-2026-0412", jpeg));
                assertThat(over.status()).isEqualTo(429);
                assertThat(over.body().path("error").asText()).contains("quota");
            }

            List<AuditEvent> audit =
                    AuditExport.read(
                            stack.config().kafka(),
                            stack.config().auditTopic(),
                            Instant.EPOCH,
                            Instant.now().plusSeconds(1),
                            Set.of());
            assertThat(audit)
                    .filteredOn(e -> e.getType() == AuditEventType.ACCESS_DENIED)
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.getActor()).isEqualTo("analyst");
                                assertThat(e.getDetails())
                                        .containsEntry("path", "/api/search")
                                        .containsEntry("role", "ANALYST")
                                        .containsEntry("needs", "INVESTIGATOR");
                            });
            assertThat(audit)
                    .filteredOn(e -> e.getType() == AuditEventType.INVESTIGATION_SEARCH_REFUSED)
                    .extracting(e -> e.getActor() + " " + e.getDetails().get("refusal"))
                    .containsExactly("det-jones NO_CASE_NUMBER", "det-jones OVER_QUOTA");
            assertThat(audit)
                    .filteredOn(e -> e.getType() == AuditEventType.INVESTIGATION_SEARCH)
                    .hasSize(3);

            Path out = work.resolve("transparency");
            assertThat(
                            vigil(
                                    "report",
                                    "transparency",
                                    "--config",
                                    config.toString(),
                                    "--from",
                                    start.toString(),
                                    "--by",
                                    "oversight-board",
                                    "--out",
                                    out.toString()))
                    .isZero();
            String json = Files.readString(out.resolve("transparency.json"));
            JsonNode inv = JSON.readTree(json).path("investigationSearches");
            assertThat(inv.path("searches").asLong()).isEqualTo(3);
            assertThat(inv.path("cases").asLong()).isEqualTo(2);
            assertThat(inv.path("investigators").asLong()).isEqualTo(1);
            assertThat(inv.path("outcomesRecorded").path("CORROBORATED").asLong()).isEqualTo(1);
            assertThat(inv.path("outcomesRecorded").path("EXCLUDED").asLong()).isZero();
            assertThat(inv.path("searchesWithoutOutcome").asLong()).isEqualTo(2);
            assertThat(inv.path("refusals").path("NO_CASE_NUMBER").asLong()).isEqualTo(1);
            assertThat(inv.path("refusals").path("OVER_QUOTA").asLong()).isEqualTo(1);
            assertThat(inv.path("refusals").path("WRONG_ROLE").asLong()).isEqualTo(1);
            assertThat(JSON.readTree(json).path("galleryChanges").path("imports").asLong())
                    .isEqualTo(1);
            String html = Files.readString(out.resolve("transparency.html"));
            assertThat(html).contains("3 searches of the booking-photo gallery in 2 cases by 1");
            for (String published : List.of(json, html)) {
                assertThat(published)
                        .doesNotContain("det-jones")
                        .doesNotContain("CASE-2026")
                        .doesNotContain("B-100")
                        .doesNotContain("store receipt");
            }
        }
    }

    private static Map<String, Object> probe(String caseNumber, byte[] photo) {
        return Map.of(
                "case",
                caseNumber,
                "reason",
                "robbery suspect, store camera still",
                "photo",
                Base64.getEncoder().encodeToString(photo));
    }

    private static int vigil(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Vigil.run(
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        args);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isNotNegative();
        if (code != 0) {
            System.err.println(err.toString(StandardCharsets.UTF_8));
        }
        return code;
    }
}
