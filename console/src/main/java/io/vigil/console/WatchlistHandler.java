package io.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.index.IndexedEntry;
import io.vigil.vision.face.QualityFilter;
import io.vigil.watchlist.WatchlistJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The watchlist: entries for analysts; enrolment, removal and erasure for admins. */
final class WatchlistHandler implements ApiHandler {
    private final ConsoleServer.Watchlist watchlist;
    private final Access access;

    WatchlistHandler(ConsoleServer.Watchlist watchlist, Access access) {
        this.watchlist = watchlist;
        this.access = access;
    }

    @Override
    public int handle(ApiCall c) throws IOException {
        List<String> seg = c.seg();
        switch (c.method()) {
            case "GET" -> {
                access.require(c, Role.ANALYST);
                List<IndexedEntry> entries = watchlist.with(c.user(), w -> w.list(c.user()));
                return Http.sendJson(
                        c.ex(), 200, entries.stream().map(WatchlistJson::entry).toList());
            }
            case "POST" -> {
                access.require(c, Role.ADMIN);
                if (seg.size() == 3 && seg.get(2).equals("erase")) {
                    String id = seg.get(1);
                    String reason = Http.readJson(c.ex(), Http.MAX_BODY).path("reason").asText("");
                    var receipt =
                            watchlist.with(
                                    c.user(),
                                    w -> w.erase(id, c.user(), reason, watchlist.store()));
                    return Http.sendJson(
                            c.ex(),
                            receipt.entries().isEmpty() ? 404 : 200,
                            WatchlistJson.receipt(receipt));
                }
                if (seg.size() != 1) {
                    throw ApiHandler.noSuchEndpoint();
                }
                JsonNode body = Http.readJson(c.ex(), ConsoleServer.MAX_ENROLMENT_BODY);
                var report =
                        watchlist.with(
                                c.user(),
                                w ->
                                        w.enroll(
                                                WatchlistJson.enrollment(
                                                        body, c.user(), QualityFilter.MEDIUM)));
                // No usable face in any photo (unreadable, too large, no face, too poor): the
                // request failed, and the report says why for each photo.
                return Http.sendJson(c.ex(), report.indexedFaces() > 0 ? 201 : 400, report);
            }
            case "DELETE" -> {
                access.require(c, Role.ADMIN);
                if (seg.size() != 2) {
                    throw ApiHandler.noSuchEndpoint();
                }
                String id = seg.get(1);
                String reason = c.query("reason");
                long removed = watchlist.with(c.user(), w -> w.remove(id, c.user(), reason));
                return Http.sendJson(c.ex(), 200, Map.of("removedFaces", removed));
            }
            default -> throw ApiHandler.noSuchEndpoint();
        }
    }
}
