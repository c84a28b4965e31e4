package io.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditExport;
import io.vigil.common.audit.AuditLog;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Oversight, for admins: review statistics ({@code stats}), the investigation-search report ({@code
 * search-report}) and the audit log ({@code audit}), each view of the audit log audited.
 */
final class OversightHandler implements ApiHandler {
    /** Events the audit page shows at most (the newest of the range). */
    static final int MAX_AUDIT_EVENTS = 10_000;

    /** How far back the review statistics look for the job's expected false-alert rate. */
    static final Duration JOB_START_LOOKBACK = Duration.ofDays(30);

    private final AlertBoard alerts;
    private final CameraBoard cameras;
    private final ConsoleServer.AuditReader auditReader;
    private final AuditLog audit;
    private final Access access;

    OversightHandler(
            AlertBoard alerts,
            CameraBoard cameras,
            ConsoleServer.AuditReader auditReader,
            AuditLog audit,
            Access access) {
        this.alerts = alerts;
        this.cameras = cameras;
        this.auditReader = auditReader;
        this.audit = audit;
        this.access = access;
    }

    @Override
    public int handle(ApiCall c) throws IOException {
        if (!c.method().equals("GET")) {
            throw ApiHandler.noSuchEndpoint();
        }
        access.require(c, Role.ADMIN);
        return switch (c.seg().get(0)) {
            case "stats" -> stats(c);
            case "search-report" -> searchReport(c);
            case "audit" -> auditPage(c);
            default -> throw ApiHandler.noSuchEndpoint();
        };
    }

    /**
     * Review statistics, with each camera's observed false alerts per camera-hour beside the rate
     * the latest job start expected (read from its {@code JOB_STARTED} event).
     */
    private int stats(ApiCall c) throws IOException {
        List<AlertBoard.Entry> held = alerts.list();
        Instant now = Instant.now();
        var expected =
                FalseAlertWatch.expected(
                        auditReader.read(now.minus(JOB_START_LOOKBACK), now.plusSeconds(1)));
        return Http.sendJson(
                c.ex(),
                200,
                ConsoleJson.stats(
                        ReviewStats.of(held), FalseAlertWatch.of(held, cameras, expected)));
    }

    private int searchReport(ApiCall c) throws IOException {
        Instant to = Instant.now().plusSeconds(1);
        Instant from = Http.instant(c.query("from"), to.minus(Duration.ofDays(30)));
        List<AuditEvent> events = auditReader.read(from, to);
        access.audit(AuditEventType.AUDIT_EXPORT, c.user(), "search report " + from + " to " + to);
        return Http.sendJson(c.ex(), 200, SearchReport.of(events));
    }

    private int auditPage(ApiCall c) throws IOException {
        // The last day unless asked otherwise, and at most the newest `limit` events of the range:
        // the page never loads the whole audit log.
        Instant to = Http.instant(c.query("to"), Instant.now().plusSeconds(1));
        Instant from = Http.instant(c.query("from"), to.minus(Duration.ofDays(1)));
        int limit = limit(c.query("limit"));
        List<AuditEvent> events = auditReader.read(from, to);
        if (events.size() > limit) {
            events = events.subList(events.size() - limit, events.size());
            c.ex().getResponseHeaders().add("X-Vigil-Truncated", "true");
        }
        audit.record(
                AuditEvents.event(AuditEventType.AUDIT_EXPORT, c.user(), Instant.now())
                        .setReason("viewed in the console")
                        .setDetails(
                                AuditEvents.details(
                                        "from", from, "to", to, "events", events.size()))
                        .build());
        List<JsonNode> out = new ArrayList<>();
        for (AuditEvent e : events) {
            out.add(Http.JSON.readTree(AuditExport.json(e)));
        }
        return Http.sendJson(c.ex(), 200, out);
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return 1_000;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1 || n > MAX_AUDIT_EVENTS) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new HttpError(400, "limit must be 1.." + MAX_AUDIT_EVENTS);
        }
    }
}
