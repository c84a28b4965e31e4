package io.vigil.processing.watchlist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.matching.LuceneVectorIndex;
import io.vigil.processing.config.AssetPaths;
import io.vigil.processing.face.DetectorSettings;
import io.vigil.processing.face.FaceAnalyzer;
import io.vigil.processing.face.FaceModels;
import io.vigil.processing.face.InferenceOptions;
import io.vigil.processing.face.QualityFilter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API over a real socket, real models and a real (in-memory) Lucene index. */
class WatchlistHttpApiTest {
    static FaceAnalyzer analyzer;
    static LuceneVectorIndex index;
    static WatchlistHttpApi api;
    static final List<String> AUDIT = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        analyzer =
                new FaceAnalyzer(
                        FaceModels.defaults(AssetPaths.root()),
                        DetectorSettings.defaults(),
                        InferenceOptions.cpu(1));
        index = LuceneVectorIndex.inMemory();
        WatchlistService service =
                new WatchlistService(
                        analyzer,
                        index,
                        Duration.ofDays(365),
                        e ->
                                AUDIT.add(
                                        e.getType().name().replace("WATCHLIST_", "")
                                                + " "
                                                + e.getActor()
                                                + " "
                                                + (e.getExternalId() == null
                                                        ? "*"
                                                        : e.getExternalId())),
                        Clock.systemUTC());
        api =
                WatchlistHttpApi.start(
                        service,
                        new InetSocketAddress("127.0.0.1", 0),
                        QualityFilter.MEDIUM,
                        Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        api.close();
        index.close();
        analyzer.close();
    }

    HttpResponse<String> call(String method, String path, String body, String actor)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:" + api.port() + "/v1/watchlist/" + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (actor != null) {
            b.header(WatchlistHttpApi.ACTOR_HEADER, actor);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return WatchlistJson.COMPACT.readTree(r.body());
    }

    @Test
    void enrolListShowRemoveExportWithTheActorAudited() throws Exception {
        String photo =
                Base64.getEncoder()
                        .encodeToString(Files.readAllBytes(AssetPaths.media("cage.jpg")));
        String body =
                """
                {"externalId": "nicolas.cage", "legalBasis": "CASE-42", "expiresInDays": 30,
                 "photos": [{"name": "cage.jpg", "base64": "%s"}]}\
                """
                        .formatted(photo);

        HttpResponse<String> enrolled = call("POST", "entries", body, "alice");
        assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(201);
        assertThat(json(enrolled).path("photos").get(0).path("indexed")).hasSize(1);

        HttpResponse<String> list = call("GET", "entries", null, "bob");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).get(0).path("enrolledBy").asText()).isEqualTo("alice");
        assertThat(json(list).get(0).path("legalBasis").asText()).isEqualTo("CASE-42");
        assertThat(list.body()).doesNotContain("vector").doesNotContain(photo.substring(0, 40));

        assertThat(call("GET", "entries/nicolas.cage", null, "bob").statusCode()).isEqualTo(200);
        assertThat(call("GET", "export", null, "bob").body().lines()).hasSize(1);

        HttpResponse<String> noReason = call("DELETE", "entries/nicolas.cage", null, "carol");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(json(noReason).path("error").asText()).contains("reason");
        HttpResponse<String> removed =
                call("DELETE", "entries/nicolas.cage?reason=case%20closed", null, "carol");
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(json(removed).path("removedFaces").asLong()).isEqualTo(1);
        assertThat(call("GET", "entries/nicolas.cage", null, "bob").statusCode()).isEqualTo(404);

        assertThat(AUDIT)
                .contains("ENROLL alice nicolas.cage", "LIST bob *", "REMOVE carol nicolas.cage");
    }

    @Test
    void rejectsAnonymousCallsAndBadRequestsWithAReason() throws Exception {
        assertThat(call("GET", "entries", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> notJson = call("POST", "entries", "{oops", "alice");
        assertThat(notJson.statusCode()).isEqualTo(400);
        HttpResponse<String> noBasis =
                call(
                        "POST",
                        "entries",
                        "{\"externalId\": \"x\", \"expiresInDays\": 3, \"photos\": [{\"name\":"
                                + " \"a\", \"base64\": \"AAAA\"}]}",
                        "alice");
        assertThat(noBasis.statusCode()).isEqualTo(400);
        assertThat(json(noBasis).path("error").asText()).contains("legalBasis");
        HttpResponse<String> tooLong =
                call(
                        "POST",
                        "entries",
                        "{\"externalId\": \"x\", \"legalBasis\": \"C\", \"expiresInDays\": 999,"
                                + " \"photos\": [{\"name\": \"a\", \"base64\": \"AAAA\"}]}",
                        "alice");
        assertThat(json(tooLong).path("error").asText()).contains("365 days");
        assertThat(call("GET", "nowhere", null, "alice").statusCode()).isEqualTo(404);
    }

    @Test
    void theServerPurgesExpiredEntriesOnItsOwn() throws Exception {
        WatchlistServiceTest.MutableClock clock = new WatchlistServiceTest.MutableClock();
        List<String> audit = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LuceneVectorIndex own = LuceneVectorIndex.inMemory()) {
            WatchlistService service =
                    new WatchlistService(
                            analyzer,
                            own,
                            Duration.ofDays(365),
                            e -> audit.add(e.getType() + " " + e.getActor()),
                            clock);
            service.enroll(
                    WatchlistServiceTest.enrollment(
                            "short.lived",
                            List.of(WatchlistServiceTest.photo("cage.jpg")),
                            QualityFilter.LOW,
                            1));
            clock.now = clock.now.plus(Duration.ofDays(31));
            try (WatchlistHttpApi sweeping =
                    WatchlistHttpApi.start(
                            service,
                            new InetSocketAddress("127.0.0.1", 0),
                            QualityFilter.LOW,
                            Duration.ofMillis(50))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                // The audit record is written just after the purge: wait for both.
                while ((own.faceCount() > 0
                                || !audit.contains(
                                        "WATCHLIST_EXPIRE " + WatchlistHttpApi.SWEEP_ACTOR))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            assertThat(own.faceCount()).isZero();
            assertThat(audit).contains("WATCHLIST_EXPIRE " + WatchlistHttpApi.SWEEP_ACTOR);
        }
    }
}
