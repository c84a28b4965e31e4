package io.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditExport;
import io.vigil.common.audit.AuditLog;
import io.vigil.index.IndexedEntry;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.ReviewCategory;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.ReviewVerdict;
import io.vigil.schemas.SupportingFace;
import io.vigil.vision.face.QualityFilter;
import io.vigil.watchlist.WatchlistJson;
import io.vigil.watchlist.WatchlistService;
import io.vigil.watchlist.camera.CameraAdmin;
import io.vigil.watchlist.gallery.InvestigationSearch;
import io.vigil.watchlist.reference.ReferenceFaces;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP server: static pages, a JSON API and a server-sent-events feed of alerts.
 * Every API call needs a session (cookie {@value #COOKIE}) of a role that allows it; changes also
 * need the {@value #CSRF_HEADER} header, which a cross-site form cannot send. Denials are audited.
 */
public final class ConsoleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    public static final String COOKIE = "vigil_session";
    public static final String CSRF_HEADER = "X-Vigil-Request";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs an operation on the watchlist service of the calling user. */
    public interface Watchlist {
        <T> T with(String actor, Function<WatchlistService, T> operation);

        /** The store the watchlist lives in, as an erasure receipt names it. */
        String store();
    }

    /** What the server works with; {@link ConsoleMain} wires the production parts. */
    public record Parts(
            Users users,
            Sessions sessions,
            AlertBoard alerts,
            CameraBoard cameras,
            ReviewDesk reviews,
            Watchlist watchlist,
            Function<String, CameraAdmin> cameraAdmin,
            AuditLog audit,
            AuditReader auditReader,
            ConsoleMetrics metrics,
            boolean secureCookies,
            java.time.Duration reviewSla,
            ReferenceFaces references,
            Optional<Investigations> investigations) {}

    /** Investigation search and its gallery, when the console has one. */
    public record Investigations(InvestigationSearch search, ReferenceFaces galleryFaces) {}

    /**
     * What one console may take on at once: request threads (beyond them and a short queue a
     * connection is closed unserved), live feeds (each holds a thread for as long as it is open;
     * beyond the cap a feed is answered 503), and the seconds a client has to send its request.
     */
    public record Limits(int threads, int maxLiveFeeds, int requestTimeoutSeconds) {
        public Limits {
            if (threads < 2 || maxLiveFeeds < 1 || maxLiveFeeds >= threads) {
                throw new IllegalArgumentException(
                        "need 2+ threads and 1 to threads-1 live feeds: " + this);
            }
            if (requestTimeoutSeconds < 1) {
                throw new IllegalArgumentException("request timeout must be positive: " + this);
            }
        }

        public static Limits defaults() {
            return new Limits(32, 16, 30);
        }
    }

    /** The JDK server's own switch for a request's headers and body; read once per JVM. */
    static final String JDK_MAX_REQUEST_SECONDS = "sun.net.httpserver.maxReqTime";

    /** Reads the audit log for a time range. */
    @FunctionalInterface
    public interface AuditReader {
        List<AuditEvent> read(Instant from, Instant to);
    }

    private static final class HttpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Limits limits;
    private final Parts p;
    private final AtomicInteger liveFeeds = new AtomicInteger();
    private final SearchSessions searches = new SearchSessions();

    private ConsoleServer(HttpServer server, ExecutorService executor, Limits limits, Parts parts) {
        this.server = server;
        this.executor = executor;
        this.limits = limits;
        this.p = parts;
    }

    public static ConsoleServer start(InetSocketAddress bind, Limits limits, Parts parts)
            throws IOException {
        applyRequestTimeout(limits.requestTimeoutSeconds());
        HttpServer server = HttpServer.create(bind, 0);
        // Bounded: a connection the pool and its queue cannot take is closed by the JDK server at
        // once, instead of each one growing a new thread.
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(
                        limits.threads(),
                        limits.threads(),
                        60,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(limits.threads()),
                        r -> {
                            Thread t = new Thread(r, "console-http");
                            t.setDaemon(true);
                            return t;
                        },
                        new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        ConsoleServer s = new ConsoleServer(server, executor, limits, parts);
        server.createContext("/", s::handle);
        server.setExecutor(executor);
        parts.metrics()
                .gauge("vigil_console_live_feeds", "Open live alert feeds.", s.liveFeeds::get);
        parts.metrics()
                .gauge(
                        "vigil_console_alerts_pending",
                        "Alerts waiting for review.",
                        () ->
                                parts.alerts().list().stream()
                                        .filter(e -> e.status() == ReviewStatus.PENDING)
                                        .count());
        parts.metrics()
                .gauge(
                        "vigil_console_alerts_over_sla",
                        "Alerts waiting for review or adjudication longer than"
                                + " vigil.review.sla.minutes.",
                        () ->
                                parts.alerts().list().stream()
                                        .filter(e -> overSla(e, parts.reviewSla(), Instant.now()))
                                        .count());
        parts.metrics()
                .gauges(
                        "vigil_console_reviewer_decisions",
                        "Review decisions of the alerts the console holds, per reviewer and"
                                + " decision.",
                        () -> {
                            Map<String, Double> m = new java.util.TreeMap<>();
                            ReviewStats.of(parts.alerts().list())
                                    .reviewers()
                                    .forEach(
                                            r -> {
                                                String who = "reviewer=\"" + label(r.name()) + "\"";
                                                m.put(
                                                        who + ",decision=\"CONFIRM\"",
                                                        (double) r.confirms());
                                                m.put(
                                                        who + ",decision=\"REJECT\"",
                                                        (double) r.rejects());
                                                m.put(
                                                        who + ",decision=\"ABSTAIN\"",
                                                        (double) r.abstentions());
                                            });
                            return m;
                        });
        parts.metrics()
                .gauges(
                        "vigil_console_reviewer_agreement",
                        "Share of each reviewer's confirm and reject decisions on settled alerts"
                                + " that agree with the outcome.",
                        () -> {
                            Map<String, Double> m = new java.util.TreeMap<>();
                            ReviewStats.of(parts.alerts().list())
                                    .reviewers()
                                    .forEach(
                                            r ->
                                                    r.agreement()
                                                            .ifPresent(
                                                                    a ->
                                                                            m.put(
                                                                                    "reviewer=\""
                                                                                            + label(
                                                                                                    r
                                                                                                            .name())
                                                                                            + "\"",
                                                                                    a)));
                            return m;
                        });
        parts.metrics()
                .gauges(
                        "vigil_console_camera_alerts",
                        "Alerts the console holds per camera and review outcome (WAITING: pending"
                                + " or in adjudication).",
                        () -> {
                            Map<String, Double> m = new java.util.TreeMap<>();
                            ReviewStats.of(parts.alerts().list())
                                    .cameras()
                                    .forEach(
                                            c -> {
                                                String cam = "camera=\"" + label(c.key()) + "\"";
                                                m.put(
                                                        cam + ",outcome=\"CONFIRMED\"",
                                                        (double) c.confirmed());
                                                m.put(
                                                        cam + ",outcome=\"REJECTED\"",
                                                        (double) c.rejected());
                                                m.put(
                                                        cam + ",outcome=\"WAITING\"",
                                                        (double) c.waiting());
                                            });
                            return m;
                        });
        parts.metrics()
                .gauge(
                        "vigil_console_alerts_in_adjudication",
                        "Alerts whose reviewers disagreed, waiting for an adjudicator.",
                        () ->
                                parts.alerts().list().stream()
                                        .filter(e -> e.status() == ReviewStatus.ADJUDICATION)
                                        .count());
        server.start();
        LOG.info("Vigil console on http://{}:{}/", bind.getHostString(), s.port());
        return s;
    }

    /**
     * Slow senders (slowloris) hold a request thread while they trickle their headers; the JDK
     * server closes a connection whose request is not in after this many seconds. It reads the
     * setting once per JVM, so a value already set (by an earlier console or on the command line)
     * stays, with a warning when it differs.
     */
    private static synchronized void applyRequestTimeout(int seconds) {
        String set = System.getProperty(JDK_MAX_REQUEST_SECONDS);
        if (set == null) {
            System.setProperty(JDK_MAX_REQUEST_SECONDS, String.valueOf(seconds));
        } else if (!set.equals(String.valueOf(seconds))) {
            LOG.warn(
                    "request timeout stays {} s ({} is set for this JVM), not {} s",
                    set,
                    JDK_MAX_REQUEST_SECONDS,
                    seconds);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        // Raw: API paths are split before they are decoded (PathSegments), and decoded once.
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        int status = 500;
        try {
            if (path.equals("/metrics")) {
                status = send(ex, 200, "text/plain; version=0.0.4", p.metrics().scrape());
            } else if (!path.startsWith("/api/")) {
                status = staticFile(ex, path);
            } else if (path.equals("/api/login") && method.equals("POST")) {
                status = login(ex);
            } else {
                status = api(ex, method, path);
            }
        } catch (HttpError e) {
            if (e.status == 413) {
                // The rest of the body was never read: the connection cannot carry another
                // request, so the client is told not to reuse it.
                ex.getResponseHeaders().set("Connection", "close");
            }
            status = sendJson(ex, e.status, Map.of("error", e.getMessage()));
        } catch (ReviewDesk.Refused e) {
            status = sendJson(ex, 409, Map.of("error", e.getMessage()));
        } catch (IllegalArgumentException e) {
            status = sendJson(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", method, path, e);
            status = sendJson(ex, 500, Map.of("error", "internal error; see the console log"));
        } finally {
            p.metrics().inc("vigil_console_http_requests_total", "status=\"" + status + "\"");
            ex.close();
        }
    }

    private int login(HttpExchange ex) throws IOException {
        // Login CSRF: a form on another site can post urlencoded or text bodies, but cannot set
        // this header or a JSON content type without the browser asking this server first.
        if (!"1".equals(ex.getRequestHeaders().getFirst(CSRF_HEADER))) {
            throw new HttpError(403, "missing " + CSRF_HEADER + " header");
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null
                || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new HttpError(415, "a login is a JSON body (Content-Type: application/json)");
        }
        JsonNode body = readJson(ex, MAX_LOGIN_BODY);
        String user = body.path("user").asText("");
        char[] password = body.path("password").asText("").toCharArray();
        String client = ex.getRemoteAddress().getAddress().getHostAddress();
        // A name as the audit log records it: whatever a stranger typed, bounded.
        String named = user.isBlank() ? "(blank)" : AuditEvents.capped(user);
        if (!p.sessions().admit(user, client)) {
            java.util.Arrays.fill(password, '\0');
            p.metrics().inc("vigil_console_logins_total", "result=\"locked\"");
            auditSimple(AuditEventType.USER_LOGIN_FAILED, named, "locked after repeated failures");
            throw new HttpError(429, "too many failed logins; try again in a minute");
        }
        Optional<Users.User> u = p.users().authenticate(user, password);
        java.util.Arrays.fill(password, '\0');
        if (u.isEmpty()) {
            p.sessions().failed(user, client);
            p.metrics().inc("vigil_console_logins_total", "result=\"failed\"");
            auditSimple(AuditEventType.USER_LOGIN_FAILED, named, "wrong user name or password");
            throw new HttpError(401, "wrong user name or password");
        }
        p.sessions().succeeded(user, client);
        Sessions.Session s = p.sessions().open(u.get().name(), u.get().role());
        p.metrics().inc("vigil_console_logins_total", "result=\"ok\"");
        auditSimple(AuditEventType.USER_LOGIN, s.user(), "role " + s.role());
        ex.getResponseHeaders()
                .add(
                        "Set-Cookie",
                        COOKIE
                                + "="
                                + s.token()
                                + "; Path=/; HttpOnly; SameSite=Strict"
                                + (p.secureCookies() ? "; Secure" : ""));
        return sendJson(ex, 200, me(s));
    }

    private int api(HttpExchange ex, String method, String path) throws IOException {
        Sessions.Session s =
                p.sessions().get(cookie(ex)).orElseThrow(() -> new HttpError(401, "log in first"));
        if (!method.equals("GET") && !"1".equals(ex.getRequestHeaders().getFirst(CSRF_HEADER))) {
            throw new HttpError(403, "missing " + CSRF_HEADER + " header");
        }
        List<String> seg = PathSegments.decode(path, "/api/");
        String what = method + " " + seg.get(0);
        switch (what) {
            case "POST logout" -> {
                p.sessions().close(s.token());
                auditSimple(AuditEventType.USER_LOGOUT, s.user(), null);
                ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0");
                return sendJson(ex, 200, Map.of("loggedOut", true));
            }
            case "GET me" -> {
                return sendJson(ex, 200, me(s));
            }
            case "GET alerts" -> {
                require(s, Role.ANALYST, path);
                if (seg.size() == 1) {
                    List<Map<String, Object>> out = new ArrayList<>();
                    p.alerts().list().forEach(e -> out.add(alertJson(e)));
                    return sendJson(ex, 200, out);
                }
                if (seg.get(1).equals("stream")) {
                    return stream(ex, s.token());
                }
                AlertBoard.Entry e =
                        p.alerts()
                                .get(seg.get(1))
                                .orElseThrow(() -> new HttpError(404, "no such alert"));
                if (seg.size() == 3 && seg.get(2).equals("crop.jpg")) {
                    ByteBuffer crop = e.alert().getFaceCrop();
                    if (crop == null) {
                        throw new HttpError(404, "this alert has no face crop");
                    }
                    return jpeg(ex, crop);
                }
                if (seg.size() == 4 && seg.get(2).equals("supporting")) {
                    int i = supportingIndex(seg.get(3), e.alert().getSupporting().size());
                    return jpeg(ex, e.alert().getSupporting().get(i).getFaceCrop());
                }
                if (seg.size() == 4 && seg.get(2).equals("reference")) {
                    return reference(ex, s, e, seg.get(3), query(ex, "kind"));
                }
                return sendJson(ex, 200, alertJson(e));
            }
            case "POST alerts" -> {
                require(s, Role.REVIEWER, path);
                if (seg.size() != 3 || !seg.get(2).equals("review")) {
                    throw new HttpError(404, "no such endpoint");
                }
                JsonNode body = readJson(ex);
                ReviewVerdict v =
                        named(ReviewVerdict.class, "decision", body.path("decision").asText(""));
                ReviewCategory c =
                        named(ReviewCategory.class, "category", body.path("category").asText(""));
                p.reviews().decide(seg.get(1), s.user(), v, c, body.path("reason").asText(""));
                p.metrics()
                        .inc(
                                "vigil_console_reviews_total",
                                "decision=\"" + v + "\",category=\"" + c + "\"");
                return sendJson(ex, 200, alertJson(p.alerts().get(seg.get(1)).orElseThrow()));
            }
            case "GET stats" -> {
                require(s, Role.ADMIN, path);
                return sendJson(ex, 200, statsJson(ReviewStats.of(p.alerts().list())));
            }
            case "POST search" -> {
                require(s, Role.INVESTIGATOR, path);
                Investigations inv =
                        p.investigations()
                                .orElseThrow(() -> new HttpError(404, "no gallery configured"));
                if (seg.size() == 3 && seg.get(2).equals("outcome")) {
                    JsonNode body = readJson(ex);
                    String searchId = seg.get(1);
                    String caseNumber = searches.caseOf(s.user(), searchId);
                    inv.search()
                            .outcome(
                                    s.user(),
                                    searchId,
                                    caseNumber,
                                    named(
                                            InvestigationSearch.Outcome.class,
                                            "outcome",
                                            body.path("outcome").asText("")),
                                    body.path("note").asText(""));
                    return sendJson(ex, 200, Map.of("recorded", true));
                }
                if (seg.size() != 1) {
                    throw new HttpError(404, "no such endpoint");
                }
                JsonNode body = readJson(ex, MAX_ENROLMENT_BODY);
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
                                            s.user(),
                                            body.path("case").asText(null),
                                            body.path("reason").asText(null),
                                            photo,
                                            body.path("k").asInt(5),
                                            body.hasNonNull("faceIndex")
                                                    ? body.path("faceIndex").asInt()
                                                    : null);
                    searches.remember(s.user(), r);
                    p.metrics().inc("vigil_console_searches_total", "result=\"ok\"");
                    return sendJson(ex, 200, searchJson(r));
                } catch (InvestigationSearch.Refused e) {
                    p.metrics()
                            .inc(
                                    "vigil_console_searches_total",
                                    "result=\""
                                            + e.refusal.name().toLowerCase(java.util.Locale.ROOT)
                                            + "\"");
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
                    return sendJson(ex, 409, Map.of("error", e.getMessage(), "faces", faces));
                }
            }
            case "GET search" -> {
                require(s, Role.INVESTIGATOR, path);
                Investigations inv =
                        p.investigations()
                                .orElseThrow(() -> new HttpError(404, "no gallery configured"));
                // GET search/{searchId}/face/{entryId}/{faceId}.jpg: a candidate of one of this
                // user's searches, nothing else.
                if (seg.size() != 5 || !seg.get(2).equals("face") || !seg.get(4).endsWith(".jpg")) {
                    throw new HttpError(404, "no such endpoint");
                }
                String faceId = seg.get(4).substring(0, seg.get(4).length() - 4);
                if (!searches.isCandidate(s.user(), seg.get(1), seg.get(3), faceId)) {
                    throw new HttpError(404, "not a candidate of your search");
                }
                byte[] image =
                        inv.galleryFaces()
                                .get(seg.get(3), faceId, ReferenceFaces.Kind.WIDE)
                                .orElseThrow(() -> new HttpError(404, "no face stored"));
                ex.getResponseHeaders().add("Cache-Control", "private, no-store");
                return send(ex, 200, "image/jpeg", image);
            }
            case "GET search-report" -> {
                require(s, Role.ADMIN, path);
                Instant to = Instant.now().plusSeconds(1);
                Instant from = instant(query(ex, "from"), to.minus(java.time.Duration.ofDays(30)));
                List<AuditEvent> events = p.auditReader().read(from, to);
                auditSimple(
                        AuditEventType.AUDIT_EXPORT,
                        s.user(),
                        "search report " + from + " to " + to);
                return sendJson(ex, 200, SearchReport.of(events));
            }
            case "GET cameras" -> {
                require(s, Role.ANALYST, path);
                List<Map<String, Object>> out = new ArrayList<>();
                p.cameras().list().forEach(c -> out.add(cameraJson(p.cameras(), c)));
                return sendJson(ex, 200, out);
            }
            case "POST cameras" -> {
                require(s, Role.ADMIN, path);
                if (seg.size() != 3) {
                    throw new HttpError(404, "no such endpoint");
                }
                String reason = readJson(ex).path("reason").asText("");
                CameraAdmin admin = p.cameraAdmin().apply(s.user());
                CameraRegistration r =
                        switch (seg.get(2)) {
                            case "suspend" -> admin.suspend(seg.get(1), s.user(), reason);
                            case "resume" -> admin.resume(seg.get(1), s.user(), reason);
                            default -> throw new HttpError(404, "no such endpoint");
                        };
                p.cameras().onRegistration(r);
                return sendJson(
                        ex,
                        200,
                        Map.of("cameraId", r.getCameraId(), "status", r.getStatus().name()));
            }
            case "GET watchlist" -> {
                require(s, Role.ANALYST, path);
                List<IndexedEntry> entries = p.watchlist().with(s.user(), w -> w.list(s.user()));
                return sendJson(ex, 200, entries.stream().map(WatchlistJson::entry).toList());
            }
            case "POST watchlist" -> {
                require(s, Role.ADMIN, path);
                if (seg.size() == 3 && seg.get(2).equals("erase")) {
                    String id = seg.get(1);
                    String reason = readJson(ex, MAX_BODY).path("reason").asText("");
                    var receipt =
                            p.watchlist()
                                    .with(
                                            s.user(),
                                            w ->
                                                    w.erase(
                                                            id,
                                                            s.user(),
                                                            reason,
                                                            p.watchlist().store()));
                    return sendJson(
                            ex,
                            receipt.entries().isEmpty() ? 404 : 200,
                            WatchlistJson.receipt(receipt));
                }
                if (seg.size() != 1) {
                    throw new HttpError(404, "no such endpoint");
                }
                JsonNode body = readJson(ex, MAX_ENROLMENT_BODY);
                var report =
                        p.watchlist()
                                .with(
                                        s.user(),
                                        w ->
                                                w.enroll(
                                                        WatchlistJson.enrollment(
                                                                body,
                                                                s.user(),
                                                                QualityFilter.MEDIUM)));
                // No usable face in any photo (unreadable, too large, no face, too poor): the
                // request failed, and the report says why for each photo.
                return sendJson(ex, report.indexedFaces() > 0 ? 201 : 400, report);
            }
            case "DELETE watchlist" -> {
                require(s, Role.ADMIN, path);
                if (seg.size() != 2) {
                    throw new HttpError(404, "no such endpoint");
                }
                String id = seg.get(1);
                String reason = query(ex, "reason");
                long removed = p.watchlist().with(s.user(), w -> w.remove(id, s.user(), reason));
                return sendJson(ex, 200, Map.of("removedFaces", removed));
            }
            case "GET audit" -> {
                require(s, Role.ADMIN, path);
                // The last day unless asked otherwise, and at most the newest `limit` events of
                // the range: the page never loads the whole audit log.
                Instant to = instant(query(ex, "to"), Instant.now().plusSeconds(1));
                Instant from = instant(query(ex, "from"), to.minus(java.time.Duration.ofDays(1)));
                int limit = limit(query(ex, "limit"));
                List<AuditEvent> events = p.auditReader().read(from, to);
                if (events.size() > limit) {
                    events = events.subList(events.size() - limit, events.size());
                    ex.getResponseHeaders().add("X-Vigil-Truncated", "true");
                }
                p.audit()
                        .record(
                                AuditEvents.event(
                                                AuditEventType.AUDIT_EXPORT,
                                                s.user(),
                                                Instant.now())
                                        .setReason("viewed in the console")
                                        .setDetails(
                                                AuditEvents.details(
                                                        "from",
                                                        from,
                                                        "to",
                                                        to,
                                                        "events",
                                                        events.size()))
                                        .build());
                List<JsonNode> out = new ArrayList<>();
                for (AuditEvent e : events) {
                    out.add(JSON.readTree(AuditExport.json(e)));
                }
                return sendJson(ex, 200, out);
            }
            default -> throw new HttpError(404, "no such endpoint");
        }
    }

    /**
     * The live feed: every alert change as an event, until the client goes away or its session ends
     * (logout, idle timeout, lifetime): the session is checked every second.
     */
    private int stream(HttpExchange ex, String token) throws IOException {
        if (liveFeeds.incrementAndGet() > limits.maxLiveFeeds()) {
            liveFeeds.decrementAndGet();
            throw new HttpError(503, "too many live feeds are open; try again later");
        }
        try {
            return streamTo(ex, token);
        } finally {
            liveFeeds.decrementAndGet();
        }
    }

    private int streamTo(HttpExchange ex, String token) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.getResponseHeaders().add("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, 0);
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(1000);
        Consumer<AlertBoard.Entry> listener =
                e -> {
                    try {
                        queue.offer(JSON.writeValueAsString(alertJson(e)));
                    } catch (IOException ignored) {
                        // not reachable for maps of plain values
                    }
                };
        p.alerts().listen(listener);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            long lastWrite = System.nanoTime();
            while (!executor.isShutdown()) {
                if (p.sessions().peek(token).isEmpty()) {
                    out.write("event: logout\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    break;
                }
                String next = queue.poll(1, TimeUnit.SECONDS);
                if (next == null && System.nanoTime() - lastWrite < TimeUnit.SECONDS.toNanos(15)) {
                    continue;
                }
                String chunk =
                        next == null ? ": keep-alive\n\n" : "event: alert\ndata: " + next + "\n\n";
                out.write(chunk.getBytes(StandardCharsets.UTF_8));
                out.flush();
                lastWrite = System.nanoTime();
            }
        } catch (IOException e) {
            LOG.debug("live feed closed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            p.alerts().unlisten(listener);
        }
        return 200;
    }

    private void require(Sessions.Session s, Role role, String path) {
        if (!s.role().allows(role)) {
            p.metrics().inc("vigil_console_access_denied_total", "");
            auditSimple(
                    AuditEventType.ACCESS_DENIED,
                    s.user(),
                    s.role() + " may not use " + path + " (needs " + role + ")");
            throw new HttpError(
                    403, "your role " + s.role() + " may not do this (needs " + role + ")");
        }
    }

    private static int jpeg(HttpExchange ex, ByteBuffer image) throws IOException {
        byte[] b = new byte[image.remaining()];
        image.duplicate().get(b);
        ex.getResponseHeaders().add("Cache-Control", "private, no-store");
        return send(ex, 200, "image/jpeg", b);
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
    private int reference(
            HttpExchange ex, Sessions.Session s, AlertBoard.Entry e, String name, String kind)
            throws IOException {
        require(s, Role.REVIEWER, ex.getRequestURI().getRawPath());
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
        Optional<String> refused = p.alerts().policy().refusal(e.decisions(), s.user());
        if (refused.isPresent()) {
            p.metrics().inc("vigil_console_access_denied_total", "");
            auditSimple(
                    AuditEventType.ACCESS_DENIED,
                    s.user(),
                    "reference face of alert " + a.getAlertId() + ": " + refused.get());
            throw new HttpError(
                    403,
                    "reference faces are shown only to a reviewer who can decide on the alert: "
                            + refused.get());
        }
        p.audit()
                .record(
                        AuditEvents.event(AuditEventType.REFERENCE_VIEWED, s.user(), Instant.now())
                                .setAlertId(a.getAlertId())
                                .setCameraId(a.getCameraId())
                                .setWatchlistEntryId(a.getWatchlistEntryId())
                                .setExternalId(a.getExternalId())
                                .setDetails(AuditEvents.details("faceId", faceId, "kind", k))
                                .build());
        byte[] image =
                p.references()
                        .get(a.getWatchlistEntryId(), faceId, k)
                        .orElseThrow(
                                () ->
                                        new HttpError(
                                                404,
                                                "no reference face stored (the entry was removed,"
                                                        + " or enrolled before references were"
                                                        + " kept)"));
        ex.getResponseHeaders().add("Cache-Control", "private, no-store");
        return send(ex, 200, "image/jpeg", image);
    }

    /** An enum constant from a request, or a 400 that lists the allowed ones. */
    private static <E extends Enum<E>> E named(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HttpError(
                    400,
                    field
                            + " must be one of "
                            + java.util.Arrays.toString(type.getEnumConstants())
                            + ", not "
                            + AuditEvents.capped(value));
        }
    }

    private void auditSimple(AuditEventType type, String actor, String reason) {
        p.audit().record(AuditEvents.event(type, actor, Instant.now()).setReason(reason).build());
    }

    private static Map<String, Object> me(Sessions.Session s) {
        return Map.of("user", s.user(), "role", s.role().name());
    }

    /** A Prometheus label value: no quotes, backslashes or line breaks from a user name. */
    static String label(String value) {
        return value.replaceAll("[\"\\\\\n]", "_");
    }

    static boolean waiting(AlertBoard.Entry e) {
        return e.status() == ReviewStatus.PENDING || e.status() == ReviewStatus.ADJUDICATION;
    }

    /** Waiting since its first frame was seen, for longer than the service level. */
    static boolean overSla(AlertBoard.Entry e, java.time.Duration sla, Instant now) {
        return waiting(e) && e.alert().getFirstSeen().plus(sla).isBefore(now);
    }

    private Map<String, Object> alertJson(AlertBoard.Entry e) {
        Alert a = e.alert();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alertId", a.getAlertId());
        m.put("revision", a.getRevision());
        m.put("closed", a.getClosed());
        m.put("cameraId", a.getCameraId());
        m.put("cameraName", p.cameras().name(a.getCameraId()));
        m.put("externalId", a.getExternalId());
        m.put("cameraLocation", p.cameras().location(a.getCameraId()));
        m.put("legalBasis", a.getLegalBasis());
        m.put("entryExpiresAt", a.getEntryExpiresAt().toString());
        m.put("firstSeen", a.getFirstSeen().toString());
        m.put("lastSeen", a.getLastSeen().toString());
        m.put("supportingFrames", a.getSupportingFrames());
        m.put("similarity", a.getSimilarity());
        m.put("bestSimilarity", a.getBestSimilarity());
        m.put("threshold", a.getThreshold());
        m.put("modelId", a.getModelId());
        m.put("hasCrop", a.getFaceCrop() != null);
        m.put("matchedFaceId", a.getMatchedFaceId());
        List<Map<String, Object>> supporting = new ArrayList<>();
        for (SupportingFace f : a.getSupporting()) {
            supporting.add(
                    Map.of(
                            "similarity", f.getSimilarity(),
                            "quality", f.getQuality(),
                            "captureTimestamp", f.getCaptureTimestamp().toString(),
                            "matchedFaceId", f.getMatchedFaceId()));
        }
        m.put("supporting", supporting);
        m.put("status", e.status().name());
        m.put("confirmationsRequired", p.alerts().policy().confirmationsRequired());
        Instant now = Instant.now();
        m.put(
                "waitingMinutes",
                waiting(e)
                        ? Math.max(0, java.time.Duration.between(a.getFirstSeen(), now).toMinutes())
                        : 0);
        m.put("overSla", overSla(e, p.reviewSla(), now));
        m.put("slaMinutes", p.reviewSla().toMinutes());
        List<Map<String, Object>> ds = new ArrayList<>();
        for (ReviewDecision d : e.decisions()) {
            ds.add(
                    Map.of(
                            "reviewer", d.getReviewer(),
                            "decision", d.getDecision().name(),
                            "category", d.getCategory().name(),
                            "reason", d.getReason(),
                            "decidedAt", d.getDecidedAt().toString()));
        }
        m.put("decisions", ds);
        p.alerts()
                .policy()
                .settlement(e.decisions())
                .ifPresent(
                        st -> {
                            m.put("settledBy", st.settledBy());
                            m.put("settledAt", st.settledAt().toString());
                            m.put("adjudicated", st.adjudicated());
                        });
        return m;
    }

    private static Map<String, Object> searchJson(InvestigationSearch.Result r) {
        List<Map<String, Object>> cs = new ArrayList<>();
        for (InvestigationSearch.Candidate c : r.candidates()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", c.rank());
            m.put("similarity", c.similarity());
            m.put("entryId", c.entryId());
            m.put("faceId", c.faceId());
            m.put("bookingId", c.booking().bookingId());
            m.put("bookingDate", c.booking().bookingDate().toString());
            m.put("agency", c.booking().agency());
            m.put("sourceSystem", c.booking().sourceSystem());
            cs.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("searchId", r.searchId());
        m.put("banner", r.banner());
        m.put("case", r.caseNumber());
        m.put("facesInProbe", r.facesInProbe());
        m.put("faceIndex", r.faceIndex());
        m.put("floor", r.floor());
        m.put("candidates", cs);
        return m;
    }

    private static Map<String, Object> statsJson(ReviewStats.Report r) {
        List<Map<String, Object>> reviewers = new ArrayList<>();
        for (ReviewStats.Reviewer v : r.reviewers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reviewer", v.name());
            m.put("decisions", v.decisions());
            m.put("confirms", v.confirms());
            m.put("rejects", v.rejects());
            m.put("couldNotDecide", v.abstentions());
            m.put("onSettledAlerts", v.onSettled());
            m.put("agreedWithOutcome", v.agreed());
            m.put("agreement", v.agreement().orElse(null));
            m.put("medianSecondsToDecide", v.medianTimeToDecide().toMillis() / 1000.0);
            reviewers.add(m);
        }
        return Map.of(
                "reviewers", reviewers,
                "cameras", outcomesJson(r.cameras()),
                "entries", outcomesJson(r.entries()));
    }

    private static List<Map<String, Object>> outcomesJson(List<ReviewStats.Outcomes> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReviewStats.Outcomes o : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", o.key());
            m.put("raised", o.raised());
            m.put("confirmed", o.confirmed());
            m.put("rejected", o.rejected());
            m.put("waiting", o.waiting());
            m.put("observedFalseAlertRate", o.observedFalseAlertRate().orElse(null));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> cameraJson(CameraBoard cameras, CameraBoard.Entry c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cameraId", c.cameraId());
        CameraRegistration r = c.registration();
        m.put("registered", r != null);
        if (r != null) {
            m.put("name", r.getName());
            m.put("location", r.getLocation());
            m.put("owner", r.getOwner());
            m.put("authorizationRef", r.getAuthorizationRef());
            m.put("purposes", r.getPurposes());
            m.put("authorizedFrom", r.getAuthorizedFrom().toString());
            m.put("authorizedUntil", r.getAuthorizedUntil().toString());
            m.put("authorization", cameras.authorization(r).name());
            m.put("registration", r.getStatus().name());
            m.put("regionsOfInterest", r.getRegionsOfInterest().size());
        }
        if (c.status() != null) {
            m.put("state", c.status().getState().name());
            m.put("framesPerSecond", c.status().getFramesPerSecond());
            m.put("framesPublished", c.status().getFramesPublished());
            m.put("framesDropped", c.status().getFramesDropped());
            m.put("reconnects", c.status().getReconnects());
            m.put("lastError", c.status().getLastError());
            m.put("reportedAt", c.status().getReportedAt().toString());
        }
        return m;
    }

    private int staticFile(HttpExchange ex, String path) throws IOException {
        String name =
                switch (path) {
                    case "/", "/index.html" -> "index.html";
                    case "/app.js" -> "app.js";
                    case "/style.css" -> "style.css";
                    default -> null;
                };
        if (name == null) {
            return send(ex, 404, "text/plain", "not found");
        }
        try (InputStream in = ConsoleServer.class.getResourceAsStream("/console/" + name)) {
            String type =
                    name.endsWith(".js")
                            ? "text/javascript"
                            : name.endsWith(".css") ? "text/css" : "text/html";
            ex.getResponseHeaders()
                    .add(
                            "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' blob:; object-src 'none';"
                                    + " frame-ancestors 'none'");
            return send(ex, 200, type + "; charset=utf-8", in.readAllBytes());
        }
    }

    private static String cookie(HttpExchange ex) {
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String h : headers) {
            for (String part : h.split(";")) {
                String t = part.trim();
                if (t.startsWith(COOKIE + "=")) {
                    return t.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    private static String query(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static Instant instant(String v, Instant fallback) {
        return v == null || v.isBlank() ? fallback : Instant.parse(v);
    }

    /** Largest request body read before the caller is authenticated (the login form). */
    static final int MAX_LOGIN_BODY = 4 * 1024;

    /** Largest body of an authenticated request, and of an enrolment with its photos. */
    static final int MAX_BODY = 64 * 1024;

    /** How much of an oversized body is read and dropped before the refusal. */
    static final int MAX_DRAIN = 1024 * 1024;

    /** Public: the Ingress in front of the console must let bodies this large through. */
    public static final int MAX_ENROLMENT_BODY = 32 * 1024 * 1024;

    /** Events the audit page shows at most (the newest of the range). */
    static final int MAX_AUDIT_EVENTS = 10_000;

    private static JsonNode readJson(HttpExchange ex) throws IOException {
        return readJson(ex, MAX_BODY);
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

    /**
     * The body as JSON; a body over {@code max} bytes is refused (413) without being kept or
     * parsed. Up to {@link #MAX_DRAIN} bytes of the rest are read and dropped first, so a client
     * that overshoots reads the answer instead of a reset connection; beyond that the connection is
     * closed.
     */
    private static JsonNode readJson(HttpExchange ex, int max) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                drain(in, MAX_DRAIN);
                throw new HttpError(413, "the request body is over " + max + " bytes");
            }
            try {
                return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new HttpError(400, "the body is not JSON: " + e.getMessage());
            }
        }
    }

    /** Reads and drops up to {@code limit} bytes, never holding more than a small buffer. */
    private static void drain(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while (total < limit
                && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - total))) > 0) {
            total += n;
        }
    }

    private static int sendJson(HttpExchange ex, int status, Object body) throws IOException {
        return send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static int send(HttpExchange ex, int status, String type, String body)
            throws IOException {
        return send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static int send(HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        return status;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
