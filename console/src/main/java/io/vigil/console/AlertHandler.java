package io.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditLog;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.ReviewCategory;
import io.vigil.schemas.ReviewVerdict;
import io.vigil.watchlist.reference.ReferenceFaces;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alerts and review: the list, one alert with its crops and the reference faces it matched, the
 * live feed, and review decisions.
 */
final class AlertHandler implements ApiHandler {
    private final AlertBoard alerts;
    private final ReviewDesk reviews;
    private final ReferenceFaces references;
    private final AlertFeed feed;
    private final ConsoleJson json;
    private final Access access;
    private final AuditLog audit;
    private final ConsoleMetrics metrics;

    AlertHandler(
            AlertBoard alerts,
            ReviewDesk reviews,
            ReferenceFaces references,
            AlertFeed feed,
            ConsoleJson json,
            Access access,
            AuditLog audit,
            ConsoleMetrics metrics) {
        this.alerts = alerts;
        this.reviews = reviews;
        this.references = references;
        this.feed = feed;
        this.json = json;
        this.access = access;
        this.audit = audit;
        this.metrics = metrics;
    }

    @Override
    public int handle(ApiCall c) throws IOException {
        List<String> seg = c.seg();
        HttpExchange ex = c.ex();
        switch (c.method()) {
            case "GET" -> {
                access.require(c, Role.ANALYST);
                if (seg.size() == 1) {
                    List<Map<String, Object>> out = new ArrayList<>();
                    alerts.list().forEach(e -> out.add(json.alert(e)));
                    return Http.sendJson(ex, 200, out);
                }
                if (seg.get(1).equals("stream")) {
                    return feed.stream(ex, c.session().token());
                }
                AlertBoard.Entry e =
                        alerts.get(seg.get(1))
                                .orElseThrow(() -> new HttpError(404, "no such alert"));
                if (seg.size() == 3 && seg.get(2).equals("crop.jpg")) {
                    ByteBuffer crop = e.alert().getFaceCrop();
                    if (crop == null) {
                        throw new HttpError(404, "this alert has no face crop");
                    }
                    return Http.jpeg(ex, crop);
                }
                if (seg.size() == 4 && seg.get(2).equals("supporting")) {
                    int i = supportingIndex(seg.get(3), e.alert().getSupporting().size());
                    return Http.jpeg(ex, e.alert().getSupporting().get(i).getFaceCrop());
                }
                if (seg.size() == 4 && seg.get(2).equals("reference")) {
                    return reference(c, e, seg.get(3), c.query("kind"));
                }
                return Http.sendJson(ex, 200, json.alert(e));
            }
            case "POST" -> {
                access.require(c, Role.REVIEWER);
                if (seg.size() != 3 || !seg.get(2).equals("review")) {
                    throw ApiHandler.noSuchEndpoint();
                }
                JsonNode body = Http.readJson(ex);
                ReviewVerdict v =
                        Http.named(
                                ReviewVerdict.class, "decision", body.path("decision").asText(""));
                ReviewCategory cat =
                        Http.named(
                                ReviewCategory.class, "category", body.path("category").asText(""));
                reviews.decide(seg.get(1), c.user(), v, cat, body.path("reason").asText(""));
                metrics.inc(
                        "vigil_console_reviews_total",
                        "decision=\"" + v + "\",category=\"" + cat + "\"");
                return Http.sendJson(ex, 200, json.alert(alerts.get(seg.get(1)).orElseThrow()));
            }
            default -> throw ApiHandler.noSuchEndpoint();
        }
    }

    private static int supportingIndex(String name, int size) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9])\\.jpg").matcher(name);
        if (!m.matches() || Integer.parseInt(m.group(1)) >= size) {
            throw new HttpError(404, "no such supporting frame");
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * An enrolled reference face of the alert's entry: only for a reviewer who may decide on the
     * alert now, only a face the alert's frames matched, and every view audited before it is
     * served.
     */
    private int reference(ApiCall c, AlertBoard.Entry e, String name, String kind)
            throws IOException {
        access.require(c, Role.REVIEWER);
        Alert a = e.alert();
        if (!name.endsWith(".jpg")) {
            throw new HttpError(404, "no such reference face");
        }
        String faceId = name.substring(0, name.length() - 4);
        List<String> matched = new ArrayList<>();
        matched.add(a.getMatchedFaceId());
        a.getSupporting().forEach(x -> matched.add(x.getMatchedFaceId()));
        if (!matched.contains(faceId)) {
            throw new HttpError(404, "the alert's frames did not match that face");
        }
        ReferenceFaces.Kind k =
                "aligned".equals(kind) ? ReferenceFaces.Kind.ALIGNED : ReferenceFaces.Kind.WIDE;
        Optional<String> refused = alerts.policy().refusal(e.decisions(), c.user());
        if (refused.isPresent()) {
            access.denied(
                    c.user(),
                    c.path(),
                    "reference face of alert " + a.getAlertId() + ": " + refused.get());
            throw new HttpError(
                    403,
                    "reference faces are shown only to a reviewer who can decide on the alert: "
                            + refused.get());
        }
        audit.record(
                AuditEvents.event(AuditEventType.REFERENCE_VIEWED, c.user(), Instant.now())
                        .setAlertId(a.getAlertId())
                        .setCameraId(a.getCameraId())
                        .setWatchlistEntryId(a.getWatchlistEntryId())
                        .setExternalId(a.getExternalId())
                        .setDetails(AuditEvents.details("faceId", faceId, "kind", k))
                        .build());
        byte[] image =
                references
                        .get(a.getWatchlistEntryId(), faceId, k)
                        .orElseThrow(
                                () ->
                                        new HttpError(
                                                404,
                                                "no reference face stored (the entry was removed,"
                                                        + " or enrolled before references were"
                                                        + " kept)"));
        return Http.privateJpeg(c.ex(), image);
    }
}
