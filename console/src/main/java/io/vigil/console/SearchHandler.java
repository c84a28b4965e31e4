package io.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.vigil.watchlist.gallery.InvestigationSearch;
import io.vigil.watchlist.reference.ReferenceFaces;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Investigation search: a probe photo with a case number against the gallery, an outcome recorded
 * for a search, and the candidates' faces, each only to the investigator whose search found them.
 */
final class SearchHandler implements ApiHandler {
    private final Optional<ConsoleServer.Investigations> investigations;
    private final Access access;
    private final ConsoleMetrics metrics;
    private final SearchSessions searches = new SearchSessions();

    SearchHandler(
            Optional<ConsoleServer.Investigations> investigations,
            Access access,
            ConsoleMetrics metrics) {
        this.investigations = investigations;
        this.access = access;
        this.metrics = metrics;
    }

    @Override
    public int handle(ApiCall c) throws IOException {
        if (!c.method().equals("POST") && !c.method().equals("GET")) {
            throw ApiHandler.noSuchEndpoint();
        }
        access.require(c, Role.INVESTIGATOR);
        ConsoleServer.Investigations inv =
                investigations.orElseThrow(() -> new HttpError(404, "no gallery configured"));
        return switch (c.method()) {
            case "POST" -> post(c, inv);
            case "GET" -> candidateFace(c, inv);
            default -> throw ApiHandler.noSuchEndpoint();
        };
    }

    private int post(ApiCall c, ConsoleServer.Investigations inv) throws IOException {
        List<String> seg = c.seg();
        HttpExchange ex = c.ex();
        if (seg.size() == 3 && seg.get(2).equals("outcome")) {
            JsonNode body = Http.readJson(ex);
            String searchId = seg.get(1);
            String caseNumber = searches.caseOf(c.user(), searchId);
            inv.search()
                    .outcome(
                            c.user(),
                            searchId,
                            caseNumber,
                            Http.named(
                                    InvestigationSearch.Outcome.class,
                                    "outcome",
                                    body.path("outcome").asText("")),
                            body.path("note").asText(""));
            return Http.sendJson(ex, 200, Map.of("recorded", true));
        }
        if (seg.size() != 1) {
            throw ApiHandler.noSuchEndpoint();
        }
        JsonNode body = Http.readJson(ex, ConsoleServer.MAX_ENROLMENT_BODY);
        byte[] photo;
        try {
            photo = java.util.Base64.getDecoder().decode(body.path("photo").asText(""));
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "photo must be base64");
        }
        try {
            InvestigationSearch.Result r =
                    inv.search()
                            .search(
                                    c.user(),
                                    body.path("case").asText(null),
                                    body.path("reason").asText(null),
                                    photo,
                                    body.path("k").asInt(5),
                                    body.hasNonNull("faceIndex")
                                            ? body.path("faceIndex").asInt()
                                            : null);
            searches.remember(c.user(), r);
            metrics.inc("vigil_console_searches_total", "result=\"ok\"");
            return Http.sendJson(ex, 200, ConsoleJson.search(r));
        } catch (InvestigationSearch.Refused e) {
            metrics.inc(
                    "vigil_console_searches_total",
                    "result=\"" + e.refusal.name().toLowerCase(java.util.Locale.ROOT) + "\"");
            throw new HttpError(e.refusal.status, e.getMessage());
        } catch (InvestigationSearch.ChooseFace e) {
            List<Map<String, Object>> faces = new ArrayList<>();
            for (var b : e.faces) {
                faces.add(
                        Map.of(
                                "x", Math.round(b.x1()),
                                "y", Math.round(b.y1()),
                                "width", Math.round(b.width()),
                                "height", Math.round(b.height())));
            }
            return Http.sendJson(ex, 409, Map.of("error", e.getMessage(), "faces", faces));
        }
    }

    /**
     * GET search/{searchId}/face/{entryId}/{faceId}.jpg: a candidate of one of this user's
     * searches, nothing else.
     */
    private int candidateFace(ApiCall c, ConsoleServer.Investigations inv) throws IOException {
        List<String> seg = c.seg();
        if (seg.size() != 5 || !seg.get(2).equals("face") || !seg.get(4).endsWith(".jpg")) {
            throw ApiHandler.noSuchEndpoint();
        }
        String faceId = seg.get(4).substring(0, seg.get(4).length() - 4);
        if (!searches.isCandidate(c.user(), seg.get(1), seg.get(3), faceId)) {
            throw new HttpError(404, "not a candidate of your search");
        }
        byte[] image =
                inv.galleryFaces()
                        .get(seg.get(3), faceId, ReferenceFaces.Kind.WIDE)
                        .orElseThrow(() -> new HttpError(404, "no face stored"));
        return Http.privateJpeg(c.ex(), image);
    }
}
