package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.BoundingBox;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraRegistrationStatus;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.SettledAlert;
import io.vigil.watchlist.camera.CameraAdmin;
import io.vigil.watchlist.reference.ReferenceFaces;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's HTTP API in process: authentication, roles, review, live feed, audit. */
class ConsoleServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "a long test password";

    final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    final List<ReviewDecision> written = new CopyOnWriteArrayList<>();
    final List<SettledAlert> settled = new CopyOnWriteArrayList<>();
    final AlertBoard board = new AlertBoard(new ReviewPolicy(2));
    final CameraBoard cameras = new CameraBoard(Duration.ofDays(14), Clock.systemUTC());
    final Map<String, CameraRegistration> registry = new HashMap<>();
    final ConsoleMetrics metrics = new ConsoleMetrics();
    @org.junit.jupiter.api.io.TempDir java.nio.file.Path referencesDir;
    ReferenceFaces references;
    ConsoleServer server;
    final HttpClient http = HttpClient.newHttpClient();

    static Alert alert(String id, int revision) {
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        return Alert.newBuilder()
                .setAlertId(id)
                .setRevision(revision)
                .setCameraId("cam-1")
                .setTrackId("t")
                .setFirstSeen(t)
                .setLastSeen(t.plusSeconds(revision))
                .setSupportingFrames(3 + revision)
                .setFrameSequence(1)
                .setCaptureTimestamp(t)
                .setIngestTimestamp(t)
                .setAlertTimestamp(t)
                .setTriggerCaptureTimestamp(t)
                .setBox(new BoundingBox(0f, 0f, 10f, 10f))
                .setDetectionConfidence(0.9f)
                .setLandmarks(List.of())
                .setQuality(0.8f)
                .setWatchlistEntryId("entry-1")
                .setExternalId("person-1")
                .setLegalBasis("CASE-1")
                .setSimilarity(0.6f)
                .setBestSimilarity(0.65f)
                .setThreshold(0.5f)
                .setConsensusFrames(3)
                .setModelId("m")
                .setFaceCrop(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1}))
                .setMatchedFaceId("face-1")
                .setEntryExpiresAt(Instant.parse("2027-01-01T00:00:00Z"))
                .build();
    }

    final Sessions sessions = new Sessions(Duration.ofMinutes(30), Clock.systemUTC());

    /** The range the audit page last asked the audit log for. */
    final List<Instant> auditRange = new ArrayList<>();

    /** A real watchlist, for the tests that enrol; null: the watchlist must not be reached. */
    io.vigil.watchlist.WatchlistService watchlistService;

    ConsoleServer.Parts parts;

    @BeforeEach
    void start() throws Exception {
        references = new ReferenceFaces(referencesDir);
        references.put(
                "entry-1",
                "face-1",
                new ReferenceFaces.Images(
                        new byte[] {(byte) 0xFF, (byte) 0xD8, 'a'},
                        new byte[] {(byte) 0xFF, (byte) 0xD8, 'w'}));
        List<String> lines = new ArrayList<>();
        lines.add(Users.line("ann", Role.ANALYST, PASSWORD.toCharArray(), 1000));
        lines.add(Users.line("rita", Role.REVIEWER, PASSWORD.toCharArray(), 1000));
        lines.add(Users.line("rob", Role.REVIEWER, PASSWORD.toCharArray(), 1000));
        lines.add(Users.line("adam", Role.ADMIN, PASSWORD.toCharArray(), 1000));
        Clock clock = Clock.systemUTC();
        registry.put(
                "cam-1",
                CameraRegistration.newBuilder()
                        .setCameraId("cam-1")
                        .setName("Gate")
                        .setLocation("North")
                        .setOwner("City")
                        .setAuthorizationRef("ORDER-1")
                        .setPurposes(List.of("missing persons"))
                        .setAuthorizedFrom(Instant.EPOCH)
                        .setAuthorizedUntil(Instant.parse("2099-01-01T00:00:00Z"))
                        .setStatus(CameraRegistrationStatus.ACTIVE)
                        .setUpdatedBy("adam")
                        .setUpdatedAt(Instant.EPOCH)
                        .setReason("r")
                        .build());
        cameras.onRegistration(registry.get("cam-1"));
        var store =
                new io.vigil.watchlist.camera.CameraStore() {
                    @Override
                    public Map<String, CameraRegistration> all() {
                        return new HashMap<>(registry);
                    }

                    @Override
                    public void put(CameraRegistration r) {
                        registry.put(r.getCameraId(), r);
                    }
                };
        parts =
                new ConsoleServer.Parts(
                        Users.parse(lines, "test"),
                        sessions,
                        board,
                        cameras,
                        new ReviewDesk(
                                board,
                                (d, st) -> {
                                    written.add(d);
                                    st.ifPresent(settled::add);
                                },
                                audit::add,
                                clock),
                        new ConsoleServer.Watchlist() {
                            @Override
                            public <T> T with(
                                    String actor,
                                    java.util.function.Function<
                                                    io.vigil.watchlist.WatchlistService, T>
                                            op) {
                                if (watchlistService == null) {
                                    throw new AssertionError("the watchlist is not reached");
                                }
                                return op.apply(watchlistService);
                            }

                            @Override
                            public String store() {
                                return "lucene:in-memory";
                            }
                        },
                        actor -> new CameraAdmin(store, audit::add, clock),
                        audit::add,
                        (from, to) -> {
                            auditRange.clear();
                            auditRange.add(from);
                            auditRange.add(to);
                            return List.copyOf(audit);
                        },
                        metrics,
                        false,
                        Duration.ofMinutes(15),
                        references,
                        Optional.empty());
        server =
                ConsoleServer.start(
                        new InetSocketAddress("127.0.0.1", 0),
                        ConsoleServer.Limits.defaults(),
                        parts);
        board.onAlert(alert("alert-1", 0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    String login(String user) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/api/login"))
                                .header(ConsoleServer.CSRF_HEADER, "1")
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"user\":\""
                                                        + user
                                                        + "\",\"password\":\""
                                                        + PASSWORD
                                                        + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        return cookie.substring(0, cookie.indexOf(';'));
    }

    HttpResponse<String> call(String cookie, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/api/" + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        b.header(ConsoleServer.CSRF_HEADER, "1");
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void loggedOutSeesNothingAndWrongPasswordsAreAudited() throws Exception {
        for (String path :
                List.of(
                        "alerts",
                        "alerts/alert-1",
                        "alerts/alert-1/crop.jpg",
                        "cameras",
                        "watchlist",
                        "audit",
                        "me")) {
            assertThat(call(null, "GET", path, null).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(call("vigil_session=forged", "GET", "alerts", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong =
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/api/login"))
                                .header(ConsoleServer.CSRF_HEADER, "1")
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"user\":\"ann\",\"password\":\"nope\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(audit)
                .extracting(AuditEvent::getType)
                .containsExactly(AuditEventType.USER_LOGIN_FAILED);
        // The page itself loads (it shows the login form) with a strict content security policy.
        HttpResponse<String> page =
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("login-form");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
    }

    @Test
    void anAnalystSeesAlertsButCannotReviewEnrolSuspendOrReadTheAudit() throws Exception {
        String ann = login("ann");
        JsonNode alerts = JSON.readTree(call(ann, "GET", "alerts", null).body());
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).path("cameraName").asText()).isEqualTo("Gate");
        // Raised days ago and still pending: over the 15-minute service level.
        assertThat(alerts.get(0).path("overSla").asBoolean()).isTrue();
        assertThat(alerts.get(0).path("waitingMinutes").asLong()).isGreaterThan(60);
        assertThat(metrics.scrape()).contains("vigil_console_alerts_over_sla 1");
        assertThat(call(ann, "GET", "alerts/alert-1/crop.jpg", null).statusCode()).isEqualTo(200);
        assertThat(
                        call(
                                        ann,
                                        "POST",
                                        "alerts/alert-1/review",
                                        "{\"decision\":\"confirm\",\"category\":\"same_person\",\"reason\":\"x\"}")
                                .statusCode())
                .isEqualTo(403);
        assertThat(call(ann, "POST", "watchlist", "{\"externalId\":\"x\"}").statusCode())
                .isEqualTo(403);
        assertThat(call(ann, "DELETE", "watchlist/person-1?reason=x", null).statusCode())
                .isEqualTo(403);
        assertThat(call(ann, "POST", "cameras/cam-1/suspend", "{\"reason\":\"x\"}").statusCode())
                .isEqualTo(403);
        assertThat(call(ann, "GET", "audit", null).statusCode()).isEqualTo(403);
        assertThat(audit)
                .filteredOn(e -> e.getType() == AuditEventType.ACCESS_DENIED)
                .hasSize(5)
                .allSatisfy(e -> assertThat(e.getActor()).isEqualTo("ann"));
        assertThat(written).isEmpty();
        assertThat(registry.get("cam-1").getStatus()).isEqualTo(CameraRegistrationStatus.ACTIVE);
        assertThat(metrics.scrape()).contains("vigil_console_access_denied_total 5");
    }

    @Test
    void confirmationNeedsTwoDifferentReviewersAndEveryDecisionIsWrittenAndAudited()
            throws Exception {
        String rita = login("rita");
        String rob = login("rob");
        HttpResponse<String> noCsrf =
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/api/alerts/alert-1/review"))
                                .header("Cookie", rita)
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"decision\":\"confirm\",\"category\":\"same_person\",\"reason\":\"x\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(
                        call(
                                        rita,
                                        "POST",
                                        "alerts/alert-1/review",
                                        "{\"decision\":\"confirm\",\"category\":\"same_person\",\"reason\":\""
                                            + " \"}")
                                .statusCode())
                .isEqualTo(400);
        JsonNode first =
                JSON.readTree(
                        call(
                                        rita,
                                        "POST",
                                        "alerts/alert-1/review",
                                        "{\"decision\":\"confirm\",\"category\":\"same_person\",\"reason\":\"same"
                                            + " face, case file photo 3\"}")
                                .body());
        assertThat(first.path("status").asText()).isEqualTo("PENDING");
        HttpResponse<String> twice =
                call(
                        rita,
                        "POST",
                        "alerts/alert-1/review",
                        "{\"decision\":\"confirm\",\"category\":\"same_person\",\"reason\":\"again\"}");
        assertThat(twice.statusCode()).isEqualTo(409);
        assertThat(twice.body()).contains("different reviewers");
        JsonNode second =
                JSON.readTree(
                        call(
                                        rob,
                                        "POST",
                                        "alerts/alert-1/review",
                                        "{\"decision\":\"confirm\",\"category\":\"same_person\",\"reason\":\"agree\"}")
                                .body());
        assertThat(second.path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(
                        call(
                                        rob,
                                        "POST",
                                        "alerts/alert-1/review",
                                        "{\"decision\":\"reject\",\"category\":\"different_person\",\"reason\":\"late\"}")
                                .statusCode())
                .isEqualTo(409);
        assertThat(written).extracting(ReviewDecision::getReviewer).containsExactly("rita", "rob");
        assertThat(audit)
                .filteredOn(e -> e.getType() == AuditEventType.REVIEW_DECISION)
                .extracting(e -> e.getActor() + " " + e.getDetails().get("statusAfter"))
                .containsExactly("rita PENDING", "rob CONFIRMED");
        assertThat(settled)
                .singleElement()
                .satisfies(st -> assertThat(st.getSettledBy()).isEqualTo("rob"));
        // A later revision of the alert keeps its review status.
        board.onAlert(alert("alert-1", 1));
        assertThat(board.get("alert-1").orElseThrow().status().name()).isEqualTo("CONFIRMED");
    }

    @Test
    void referenceFacesGoOnlyToAReviewerWhoCanDecideAndEveryViewIsAudited() throws Exception {
        String ann = login("ann");
        String rita = login("rita");
        String rob = login("rob");
        assertThat(call(ann, "GET", "alerts/alert-1/reference/face-1.jpg", null).statusCode())
                .isEqualTo(403);
        HttpResponse<byte[]> wide = bytes(rita, "alerts/alert-1/reference/face-1.jpg?kind=wide");
        assertThat(wide.statusCode()).isEqualTo(200);
        assertThat(wide.body()).containsExactly((byte) 0xFF, (byte) 0xD8, (byte) 'w');
        assertThat(wide.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        assertThat(bytes(rita, "alerts/alert-1/reference/face-1.jpg?kind=aligned").body())
                .containsExactly((byte) 0xFF, (byte) 0xD8, (byte) 'a');
        // Only a face the alert's frames matched, and no path tricks.
        assertThat(call(rita, "GET", "alerts/alert-1/reference/face-2.jpg", null).statusCode())
                .isEqualTo(404);
        assertThat(call(rita, "GET", "alerts/alert-1/reference/..%2Fx.jpg", null).statusCode())
                .isEqualTo(404);
        assertThat(audit)
                .filteredOn(e -> e.getType() == AuditEventType.REFERENCE_VIEWED)
                .extracting(e -> e.getActor() + " " + e.getDetails().get("kind"))
                .containsExactly("rita WIDE", "rita ALIGNED");
        call(
                rita,
                "POST",
                "alerts/alert-1/review",
                "{\"decision\":\"confirm\",\"category\":\"same_person\",\"reason\":\"x\"}");
        // Decided: rita can no longer act on the alert, so she no longer sees its references.
        HttpResponse<String> after = call(rita, "GET", "alerts/alert-1/reference/face-1.jpg", null);
        assertThat(after.statusCode()).isEqualTo(403);
        assertThat(after.body()).contains("already reviewed");
        assertThat(bytes(rob, "alerts/alert-1/reference/face-1.jpg").statusCode()).isEqualTo(200);
    }

    HttpResponse<byte[]> bytes(String cookie, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base() + "/api/" + path))
                        .header("Cookie", cookie)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void disagreeingReviewersSendTheAlertToAnAdminWhoseDecisionSettlesIt() throws Exception {
        String rita = login("rita");
        String rob = login("rob");
        String adam = login("adam");
        HttpResponse<String> unknown =
                call(
                        rita,
                        "POST",
                        "alerts/alert-1/review",
                        "{\"decision\":\"reject\",\"category\":\"looks_odd\",\"reason\":\"x\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("IMAGE_TOO_POOR");
        HttpResponse<String> mismatched =
                call(
                        rita,
                        "POST",
                        "alerts/alert-1/review",
                        "{\"decision\":\"confirm\",\"category\":\"different_person\","
                                + "\"reason\":\"x\"}");
        assertThat(mismatched.statusCode()).isEqualTo(400);
        call(
                rita,
                "POST",
                "alerts/alert-1/review",
                "{\"decision\":\"reject\",\"category\":\"different_person\",\"reason\":\"nose\"}");
        JsonNode split =
                JSON.readTree(
                        call(
                                        rob,
                                        "POST",
                                        "alerts/alert-1/review",
                                        "{\"decision\":\"confirm\",\"category\":\"same_person\","
                                                + "\"reason\":\"scar\"}")
                                .body());
        assertThat(split.path("status").asText()).isEqualTo("ADJUDICATION");
        assertThat(settled).isEmpty();
        assertThat(metrics.scrape()).contains("vigil_console_alerts_in_adjudication 1");
        JsonNode done =
                JSON.readTree(
                        call(
                                        adam,
                                        "POST",
                                        "alerts/alert-1/review",
                                        "{\"decision\":\"confirm\",\"category\":\"other\","
                                                + "\"reason\":\"scar and ear match\"}")
                                .body());
        assertThat(done.path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(done.path("adjudicated").asBoolean()).isTrue();
        assertThat(done.path("settledBy").asText()).isEqualTo("adam");
        assertThat(done.path("decisions").get(0).path("category").asText())
                .isEqualTo("DIFFERENT_PERSON");
        assertThat(settled)
                .singleElement()
                .satisfies(
                        st -> {
                            assertThat(st.getAdjudicated()).isTrue();
                            assertThat(st.getDecisions()).hasSize(3);
                        });
        assertThat(audit)
                .filteredOn(e -> e.getType() == AuditEventType.REVIEW_DECISION)
                .extracting(e -> e.getDetails().get("adjudication"))
                .containsExactly("false", "false", "true");
    }

    @Test
    void theLiveFeedDeliversNewAlertsAndAnAdminCanSuspendAndReadTheAudit() throws Exception {
        String adam = login("adam");
        HttpRequest req =
                HttpRequest.newBuilder(URI.create(base() + "/api/alerts/stream"))
                        .header("Cookie", adam)
                        .build();
        HttpResponse<InputStream> stream =
                http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        AtomicReference<String> event = new AtomicReference<>();
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    stream.body(), StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = r.readLine()) != null) {
                                    if (line.startsWith(": connected")) {
                                        connected.countDown();
                                    }
                                    if (line.startsWith("data: ")) {
                                        event.set(line.substring(6));
                                        return;
                                    }
                                }
                            } catch (Exception e) {
                                event.set("error " + e);
                            }
                        });
        reader.start();
        // The feed listens before it sends ": connected"; an alert before that is not its.
        assertThat(connected.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(metrics.scrape()).contains("vigil_console_live_feeds 1");
        board.onAlert(alert("alert-2", 0));
        reader.join(10_000);
        assertThat(JSON.readTree(event.get()).path("alertId").asText()).isEqualTo("alert-2");

        assertThat(
                        call(
                                        adam,
                                        "POST",
                                        "cameras/cam-1/suspend",
                                        "{\"reason\":\"order expired\"}")
                                .statusCode())
                .isEqualTo(200);
        assertThat(registry.get("cam-1").getStatus()).isEqualTo(CameraRegistrationStatus.SUSPENDED);
        JsonNode log = JSON.readTree(call(adam, "GET", "audit", null).body());
        List<String> types = new ArrayList<>();
        log.forEach(e -> types.add(e.path("type").asText()));
        assertThat(types).contains("USER_LOGIN", "CAMERA_SUSPENDED");
        assertThat(audit).extracting(AuditEvent::getType).contains(AuditEventType.AUDIT_EXPORT);
        assertThat(call(adam, "POST", "logout", null).statusCode()).isEqualTo(200);
        assertThat(call(adam, "GET", "alerts", null).statusCode()).isEqualTo(401);
    }

    /** An enrolment of one sample photo, as the console's form sends it. */
    static String enrolmentBody(String externalId, String legalBasis) throws Exception {
        byte[] photo =
                java.nio.file.Files.readAllBytes(
                        io.vigil.vision.model.AssetPaths.media("bieber_small.jpg"));
        return JSON.writeValueAsString(
                Map.of(
                        "externalId",
                        externalId,
                        "legalBasis",
                        legalBasis,
                        "purposes",
                        List.of("missing persons"),
                        "expiresInDays",
                        1,
                        "photos",
                        List.of(
                                Map.of(
                                        "name",
                                        "p.jpg",
                                        "base64",
                                        java.util.Base64.getEncoder().encodeToString(photo)))));
    }

    /** A real watchlist (real detector and embedder, in-memory index) behind the console. */
    final class RealWatchlist implements AutoCloseable {
        final io.vigil.vision.face.FaceAnalyzer analyzer =
                new io.vigil.vision.face.FaceAnalyzer(
                        io.vigil.vision.face.FaceModels.defaults(
                                io.vigil.vision.model.AssetPaths.root()),
                        io.vigil.vision.face.DetectorSettings.defaults(),
                        io.vigil.vision.face.InferenceOptions.cpu(1));
        final io.vigil.index.lucene.LuceneVectorIndex index =
                io.vigil.index.lucene.LuceneVectorIndex.inMemory();

        RealWatchlist() {
            watchlistService =
                    new io.vigil.watchlist.WatchlistService(
                            analyzer,
                            index,
                            references,
                            Duration.ofDays(365),
                            audit::add,
                            Clock.systemUTC());
        }

        @Override
        public void close() {
            watchlistService = null;
            index.close();
            analyzer.close();
        }
    }

    @Test
    void anEnrolmentWithNoUsableFaceIsABadRequestAndEnrolsNothing() throws Exception {
        try (RealWatchlist w = new RealWatchlist()) {
            String adam = login("adam");
            // A kilobyte of JPEG whose header declares 25000x25000: refused before decoding.
            byte[] jpeg =
                    java.nio.file.Files.readAllBytes(
                            io.vigil.vision.model.AssetPaths.media("bieber_small.jpg"));
            for (int i = 0; i + 8 < jpeg.length; i++) {
                int marker = jpeg[i + 1] & 0xFF;
                if ((jpeg[i] & 0xFF) == 0xFF && (marker == 0xC0 || marker == 0xC2)) {
                    jpeg[i + 5] = (byte) (25_000 >> 8);
                    jpeg[i + 6] = (byte) 25_000;
                    jpeg[i + 7] = (byte) (25_000 >> 8);
                    jpeg[i + 8] = (byte) 25_000;
                    break;
                }
            }
            String body =
                    "{\"externalId\":\"bomb\",\"legalBasis\":\"CASE-9\",\"expiresInDays\":1,"
                            + "\"purposes\":[\"missing persons\"],"
                            + "\"photos\":[{\"name\":\"bomb.jpg\",\"base64\":\""
                            + java.util.Base64.getEncoder().encodeToString(jpeg)
                            + "\"}]}";
            HttpResponse<String> r = call(adam, "POST", "watchlist", body);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("UNREADABLE_IMAGE");
            assertThat(w.index.faceCount()).isZero();
        }
    }

    @Test
    void onlyAnAdminErasesAPersonAndGetsAReceipt() throws Exception {
        try (RealWatchlist w = new RealWatchlist()) {
            String adam = login("adam");
            String body = enrolmentBody("erase-me", "CASE-8");
            assertThat(call(adam, "POST", "watchlist", body).statusCode()).isEqualTo(201);
            String rita = login("rita");
            assertThat(
                            call(rita, "POST", "watchlist/erase-me/erase", "{\"reason\":\"r\"}")
                                    .statusCode())
                    .isEqualTo(403);
            HttpResponse<String> r =
                    call(adam, "POST", "watchlist/erase-me/erase", "{\"reason\":\"request 12\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode receipt = JSON.readTree(r.body());
            assertThat(receipt.path("verifiedAbsent").asBoolean()).isTrue();
            assertThat(receipt.path("entries").get(0).path("legalBasis").asText())
                    .isEqualTo("CASE-8");
            assertThat(receipt.path("store").asText()).isEqualTo("lucene:in-memory");
            assertThat(w.index.faceCount()).isZero();
            assertThat(audit)
                    .filteredOn(e -> e.getType() == AuditEventType.PERSON_ERASED)
                    .singleElement()
                    .satisfies(
                            e ->
                                    assertThat(e.getEventId())
                                            .isEqualTo(receipt.path("receiptId").asText()));
            assertThat(
                            call(adam, "POST", "watchlist/erase-me/erase", "{\"reason\":\"again\"}")
                                    .statusCode())
                    .as("nothing left to erase")
                    .isEqualTo(404);
        }
    }

    @Test
    void anEnrolmentOverHttpMayNameTheCamerasItIsMatchedOn() throws Exception {
        try (RealWatchlist w = new RealWatchlist()) {
            String adam = login("adam");
            com.fasterxml.jackson.databind.node.ObjectNode body =
                    (com.fasterxml.jackson.databind.node.ObjectNode)
                            JSON.readTree(enrolmentBody("north-only", "WARRANT-3"));
            body.putArray("cameras").add("cam-north-2").add("cam-north-1");
            HttpResponse<String> r = call(adam, "POST", "watchlist", body.toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode listed = JSON.readTree(call(adam, "GET", "watchlist", null).body());
            assertThat(listed.get(0).path("cameras").toString())
                    .isEqualTo("[\"cam-north-1\",\"cam-north-2\"]");
            assertThat(audit)
                    .filteredOn(e -> e.getType() == AuditEventType.WATCHLIST_ENROLL)
                    .singleElement()
                    .satisfies(
                            e ->
                                    assertThat(e.getDetails())
                                            .containsEntry("cameras", "cam-north-1,cam-north-2"));
            body.put("externalId", "bad-camera").putArray("cameras").add("*");
            HttpResponse<String> bad = call(adam, "POST", "watchlist", body.toString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("camera id");
        }
    }

    @Test
    void theAdminSeesEachCamerasObservedFalseAlertsBesideTheExpectedRate() throws Exception {
        FalseAlertWatchTest.report(
                cameras,
                "cam-1",
                Instant.parse("2026-11-22T08:00:00Z"),
                Duration.ofMinutes(5),
                25,
                io.vigil.schemas.CameraState.STREAMING);
        for (int i = 0; i < 3; i++) {
            FalseAlertWatchTest.rejected(
                    board, "rej-" + i, "cam-1", Instant.parse("2026-11-22T09:00:00Z"));
        }
        audit.add(
                FalseAlertWatchTest.jobStarted(
                        Instant.now().minus(Duration.ofHours(1)), "0.00100", "0.00500"));
        String adam = login("adam");
        JsonNode stats = JSON.readTree(call(adam, "GET", "stats", null).body());
        JsonNode cam = stats.path("falseAlertsPerCameraHour").get(0);
        assertThat(cam.path("cameraId").asText()).isEqualTo("cam-1");
        assertThat(cam.path("cameraHours").asDouble()).isEqualTo(2.0);
        assertThat(cam.path("rejected").asInt()).isEqualTo(3);
        assertThat(cam.path("observedPerCameraHour").asDouble()).isEqualTo(1.5);
        assertThat(cam.path("expectedUpper95").asDouble()).isEqualTo(0.005);
        assertThat(cam.path("diverges").asBoolean()).isTrue();
        assertThat(call(login("rita"), "GET", "stats", null).statusCode()).isEqualTo(403);
    }

    @Test
    void aPathIsDecodedExactlyOnce() throws Exception {
        try (RealWatchlist w = new RealWatchlist()) {
            String adam = login("adam");
            String id = "case-7:a.b";
            String body = enrolmentBody(id, "CASE-7");
            HttpResponse<String> enrolled = call(adam, "POST", "watchlist", body);
            assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(201);
            // Decoded twice, the double-encoded id would name the entry and remove it.
            assertThat(call(adam, "DELETE", "watchlist/case-7%253Aa.b?reason=x", null).body())
                    .contains("\"removedFaces\":0");
            assertThat(w.index.faceCount()).isPositive();
            // An encoded slash stays inside its segment instead of making a longer path (404).
            assertThat(call(adam, "DELETE", "watchlist/case-7%2Fa.b?reason=x", null).body())
                    .contains("\"removedFaces\":0");
            assertThat(call(adam, "DELETE", "watchlist/case-7%3Aa.b?reason=x", null).body())
                    .contains("\"removedFaces\":1");
            assertThat(w.index.faceCount()).isZero();
            assertThat(call(adam, "DELETE", "watchlist/bad%C3?reason=x", null).statusCode())
                    .isEqualTo(400);
        }
    }

    /** Sends a request's head on a raw socket and returns the socket; null head: a slow sender. */
    java.net.Socket rawRequest(String head) throws IOException {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    static String statusLine(java.net.Socket socket) throws IOException {
        return new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
    }

    static long consoleThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("console-http") && t.isAlive())
                .count();
    }

    @Test
    void aFloodOfConnectionsHoldsBoundedThreadsAndSlowSendersAreCutOff() throws Exception {
        server.close();
        server =
                ConsoleServer.start(
                        new InetSocketAddress("127.0.0.1", 0),
                        new ConsoleServer.Limits(4, 2, 2),
                        parts);
        String adam = login("adam");
        String feed = "GET /api/alerts/stream HTTP/1.1\r\nHost: c\r\nCookie: " + adam + "\r\n\r\n";
        List<java.net.Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                java.net.Socket s = rawRequest(feed);
                open.add(s);
                assertThat(statusLine(s)).startsWith("HTTP/1.1 200");
            }
            java.net.Socket third = rawRequest(feed);
            open.add(third);
            assertThat(statusLine(third)).as("a feed over the cap").startsWith("HTTP/1.1 503");
            assertThat(call(adam, "GET", "me", null).statusCode())
                    .as("feeds at their cap leave threads for requests")
                    .isEqualTo(200);

            // 60 slow senders: a few hold the free threads, the rest are closed unserved.
            List<java.net.Socket> slow = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                java.net.Socket s = rawRequest("GET /api/me HT");
                slow.add(s);
                open.add(s);
            }
            Thread.sleep(500);
            assertThat(consoleThreads()).isLessThanOrEqualTo(4);

            // The JDK server reads the timeout once per JVM; the build sets it to 2 s.
            int timeout = Integer.getInteger(ConsoleServer.JDK_MAX_REQUEST_SECONDS, 30);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout + 5);
            int served = 0;
            while (System.nanoTime() < deadline) {
                try {
                    HttpRequest r =
                            HttpRequest.newBuilder(URI.create(base() + "/api/me"))
                                    .header("Cookie", adam)
                                    .timeout(Duration.ofSeconds(1))
                                    .build();
                    served = http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
                    if (served == 200) {
                        break;
                    }
                } catch (IOException refusedOrTimedOut) {
                    Thread.sleep(200);
                }
            }
            assertThat(served).as("served again once the slow senders are cut off").isEqualTo(200);
            for (java.net.Socket s : slow) {
                s.setSoTimeout(1000);
                int read;
                try {
                    read = s.getInputStream().read();
                } catch (IOException reset) {
                    read = -1;
                }
                assertThat(read).as("a slow sender's connection is closed").isEqualTo(-1);
            }
            assertThat(consoleThreads()).isLessThanOrEqualTo(4);
        } finally {
            for (java.net.Socket s : open) {
                s.close();
            }
        }
    }

    private String fuzzAdmin;

    /**
     * Any bytes as the JSON body of the console's state-changing calls: the answer is a refusal
     * (4xx) or a success, never a server error. Run with {@code JAZZER_FUZZ=1} to fuzz; the build
     * replays {@code ConsoleServerTestInputs}. The enrolment body is fuzzed in the processing
     * module, where it is parsed.
     */
    @com.code_intelligence.jazzer.junit.FuzzTest(maxDuration = "30s")
    void jsonBodiesNeverFailTheServer(com.code_intelligence.jazzer.api.FuzzedDataProvider data)
            throws Exception {
        // Jazzer's SSRF detector stops every connection; this one is to the console under test.
        try (var allowed =
                com.code_intelligence.jazzer.api.BugDetectors.allowNetworkConnections(
                        (host, port) -> port == server.port())) {
            postFuzzedBody(data);
        }
    }

    private void postFuzzedBody(com.code_intelligence.jazzer.api.FuzzedDataProvider data)
            throws Exception {
        if (fuzzAdmin == null) {
            fuzzAdmin = login("adam");
        }
        String path =
                data.pickValue(
                        List.of(
                                "/api/login",
                                "/api/alerts/alert-1/review",
                                "/api/cameras/cam-1/suspend",
                                "/api/cameras/cam-1/resume",
                                "/api/logout"));
        byte[] body = data.consumeRemainingAsBytes();
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base() + path))
                        .header(ConsoleServer.CSRF_HEADER, "1")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!path.equals("/api/login") && !path.equals("/api/logout")) {
            b.header("Cookie", fuzzAdmin);
        }
        int status = http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).as(new String(body, StandardCharsets.UTF_8)).isBetween(200, 499);
    }

    @Test
    void parallelPasswordGuessesGetNoMoreAnswersThanTheLockoutAllows() throws Exception {
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(20);
        java.util.List<java.util.concurrent.Future<Integer>> codes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int n = i;
            codes.add(
                    pool.submit(
                            () ->
                                    http.send(
                                                    HttpRequest.newBuilder(
                                                                    URI.create(
                                                                            base() + "/api/login"))
                                                            .header(ConsoleServer.CSRF_HEADER, "1")
                                                            .header(
                                                                    "Content-Type",
                                                                    "application/json")
                                                            .POST(
                                                                    HttpRequest.BodyPublishers
                                                                            .ofString(
                                                                                    "{\"user\":\"adam\","
                                                                                        + "\"password\":\"guess-"
                                                                                            + n
                                                                                            + "\"}"))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.ofString())
                                            .statusCode()));
        }
        int wrong = 0;
        int refused = 0;
        for (var c : codes) {
            int code = c.get();
            if (code == 401) {
                wrong++;
            } else if (code == 429) {
                refused++;
            }
        }
        pool.shutdown();
        // Each password checked costs a hash; no more than the lockout's allowance are checked.
        assertThat(wrong).isEqualTo(Sessions.MAX_FAILURES);
        assertThat(refused).isEqualTo(60 - Sessions.MAX_FAILURES);
    }

    @Test
    void twoThousandHugeLoginsLeaveTheHeapAndTheAuditBoundedAndTheAdminServed() throws Exception {
        int before = audit.size();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.atomic.AtomicInteger answered =
                new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger other =
                new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String name = i + "-" + "n".repeat(450_000);
            done.add(
                    pool.submit(
                            () -> {
                                try {
                                    int code =
                                            http.send(
                                                            HttpRequest.newBuilder(
                                                                            URI.create(
                                                                                    base()
                                                                                            + "/api/login"))
                                                                    .header(
                                                                            ConsoleServer
                                                                                    .CSRF_HEADER,
                                                                            "1")
                                                                    .header(
                                                                            "Content-Type",
                                                                            "application/json")
                                                                    .POST(
                                                                            HttpRequest
                                                                                    .BodyPublishers
                                                                                    .ofString(
                                                                                            "{\"user\":\""
                                                                                                    + name
                                                                                                    + "\",\"password\":\"p\"}"))
                                                                    .build(),
                                                            HttpResponse.BodyHandlers.discarding())
                                                    .statusCode();
                                    (code == 413 ? answered : other).incrementAndGet();
                                } catch (IOException closedUnread) {
                                    // Refused before the body was read: the connection closed.
                                    answered.incrementAndGet();
                                }
                                return null;
                            }));
        }
        for (var f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(other.get()).as("answers other than 413").isZero();
        assertThat(answered.get()).isEqualTo(2_000);
        System.gc();
        long heapAfter = rt.totalMemory() - rt.freeMemory();
        assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(64L * 1024 * 1024);
        assertThat(audit.size() - before).as("audit events from refused logins").isZero();
        String adam = login("adam");
        assertThat(call(adam, "GET", "audit", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aFloodOfHugeLoginNamesIsRefusedUnreadAndAuditedSmall() throws Exception {
        int before = audit.size();
        String huge = "x".repeat(450_000);
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/api/login"))
                                .header(ConsoleServer.CSRF_HEADER, "1")
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"user\":\"" + huge + "\",\"password\":\"p\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Connection")).contains("close");
        assertThat(audit).hasSize(before);
        // A long but admissible name is audited cut to 128 characters.
        String longName = "y".repeat(3_000);
        http.send(
                HttpRequest.newBuilder(URI.create(base() + "/api/login"))
                        .header(ConsoleServer.CSRF_HEADER, "1")
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"user\":\"" + longName + "\",\"password\":\"p\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        AuditEvent failed = audit.get(audit.size() - 1);
        assertThat(failed.getType()).isEqualTo(AuditEventType.USER_LOGIN_FAILED);
        assertThat(failed.getActor().length()).isLessThan(200);
    }

    @Test
    void theAuditPageReadsTheLastDayAndAtMostTheNewestEventsAskedFor() throws Exception {
        login("rita");
        login("rob");
        String adam = login("adam");
        HttpResponse<String> all = call(adam, "GET", "audit", null);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(java.time.Duration.between(auditRange.get(0), auditRange.get(1)))
                .isEqualTo(java.time.Duration.ofDays(1));
        int n = JSON.readTree(all.body()).size();
        assertThat(n).isGreaterThan(2);
        HttpResponse<String> two = call(adam, "GET", "audit?limit=2", null);
        assertThat(JSON.readTree(two.body()).size()).isEqualTo(2);
        assertThat(two.headers().firstValue("X-Vigil-Truncated")).contains("true");
        assertThat(call(adam, "GET", "audit?limit=100000", null).statusCode()).isEqualTo(400);
    }

    @Test
    void theLiveFeedEndsWhenItsSessionIsLoggedOut() throws Exception {
        String rita = login("rita");
        java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> feed =
                http.sendAsync(
                        HttpRequest.newBuilder(URI.create(base() + "/api/alerts/stream"))
                                .header("Cookie", rita)
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        HttpResponse<java.util.stream.Stream<String>> r = feed.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        java.util.Iterator<String> lines = r.body().iterator();
        assertThat(lines.next()).isEqualTo(": connected");
        assertThat(call(rita, "POST", "logout", null).statusCode()).isEqualTo(200);
        java.util.concurrent.Future<List<String>> rest =
                java.util.concurrent.Executors.newSingleThreadExecutor()
                        .submit(
                                () -> {
                                    List<String> out = new ArrayList<>();
                                    lines.forEachRemaining(out::add);
                                    return out;
                                });
        // The stream ends by itself within a few seconds of the logout.
        assertThat(rest.get(10, TimeUnit.SECONDS)).contains("event: logout");
    }

    @Test
    void requestsRacingWithLogoutNeverBringASessionBack() throws Exception {
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 200; round++) {
                String cookie = login("rita");
                List<java.util.concurrent.Future<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    calls.add(pool.submit(() -> call(cookie, "GET", "me", null).statusCode()));
                }
                call(cookie, "POST", "logout", null);
                for (var c : calls) {
                    assertThat(c.get()).isIn(200, 401);
                }
            }
        } finally {
            pool.shutdown();
        }
        assertThat(sessions.count()).isZero();
    }

    @Test
    void theSessionCookieIsSecureWhenTheConsoleIsServedOverTls() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsoleConfig.USERS_FILE, "users.txt");
        props.put("vigil.watchlist.index.dir", "unused");
        assertThat(new ConsoleConfig(props).secureCookies()).isFalse();
        props.put(ConsoleConfig.COOKIE_SECURE, "true");
        assertThat(new ConsoleConfig(props).secureCookies()).isTrue();
    }

    @Test
    void liveFeedsMustLeaveThreadsForRequests() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsoleConfig.USERS_FILE, "users.txt");
        props.put("vigil.watchlist.index.dir", "unused");
        assertThat(new ConsoleConfig(props).limits()).isEqualTo(ConsoleServer.Limits.defaults());
        props.put(ConsoleConfig.HTTP_THREADS, "8");
        props.put(ConsoleConfig.MAX_LIVE_FEEDS, "8");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConsoleConfig(props))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining(ConsoleConfig.MAX_LIVE_FEEDS)
                .hasMessageContaining(ConsoleConfig.HTTP_THREADS + "=8");
    }

    @Test
    void aLoginNeedsTheRequestHeaderAndAJsonBody() throws Exception {
        String body = "{\"user\":\"adam\",\"password\":\"" + PASSWORD + "\"}";
        HttpResponse<String> noHeader =
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/api/login"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(noHeader.statusCode()).isEqualTo(403);
        HttpResponse<String> form =
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/api/login"))
                                .header(ConsoleServer.CSRF_HEADER, "1")
                                .header("Content-Type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(noHeader.headers().firstValue("Set-Cookie")).isEmpty();
    }
}
