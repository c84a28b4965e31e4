package io.vigil.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.common.audit.AuditLog;
import io.vigil.schemas.AuditEvent;
import io.vigil.watchlist.WatchlistService;
import io.vigil.watchlist.camera.CameraAdmin;
import io.vigil.watchlist.gallery.InvestigationSearch;
import io.vigil.watchlist.reference.ReferenceFaces;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP server: static pages, a JSON API and a server-sent-events feed of alerts.
 * Every API call needs a session (cookie {@value #COOKIE}) of a role that allows it; changes also
 * need the {@value #CSRF_HEADER} header, which a cross-site form cannot send. Denials are audited.
 * This class only wires: each concern's routes are an {@link ApiHandler} (sessions and login,
 * alerts and review, investigation search, cameras, the watchlist, oversight), the policy is {@link
 * Access}, the rendering {@link ConsoleJson} and the transport {@link Http}.
 */
public final class ConsoleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    public static final String COOKIE = "vigil_session";
    public static final String CSRF_HEADER = "X-Vigil-Request";

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

    private final HttpServer server;
    private final ExecutorService executor;
    private final Sessions sessions;
    private final ConsoleMetrics metrics;
    private final LoginHandler login;
    private final Map<String, ApiHandler> routes;

    private ConsoleServer(HttpServer server, ExecutorService executor, Limits limits, Parts p) {
        this.server = server;
        this.executor = executor;
        this.sessions = p.sessions();
        this.metrics = p.metrics();
        Access access = new Access(p.audit(), p.metrics());
        ConsoleJson json = new ConsoleJson(p.alerts(), p.cameras(), p.reviewSla());
        AlertFeed feed =
                new AlertFeed(
                        p.alerts(),
                        p.sessions(),
                        json,
                        limits.maxLiveFeeds(),
                        executor::isShutdown);
        this.login =
                new LoginHandler(p.users(), p.sessions(), p.metrics(), access, p.secureCookies());
        AlertHandler alerts =
                new AlertHandler(
                        p.alerts(),
                        p.reviews(),
                        p.references(),
                        feed,
                        json,
                        access,
                        p.audit(),
                        p.metrics());
        OversightHandler oversight =
                new OversightHandler(p.alerts(), p.cameras(), p.auditReader(), p.audit(), access);
        this.routes =
                Map.of(
                        "logout", login,
                        "me", login,
                        "alerts", alerts,
                        "search", new SearchHandler(p.investigations(), access, p.metrics()),
                        "cameras", new CameraHandler(p.cameras(), p.cameraAdmin(), json, access),
                        "watchlist", new WatchlistHandler(p.watchlist(), access),
                        "stats", oversight,
                        "search-report", oversight,
                        "audit", oversight);
        ConsoleGauges.register(p.metrics(), p.alerts(), p.reviewSla(), feed::open);
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
                status = Http.send(ex, 200, "text/plain; version=0.0.4", metrics.scrape());
            } else if (!path.startsWith("/api/")) {
                status = StaticFiles.serve(ex, path);
            } else if (path.equals("/api/login") && method.equals("POST")) {
                status = login.login(ex);
            } else {
                status = api(ex, method, path);
            }
        } catch (HttpError e) {
            if (e.status == 413) {
                // The rest of the body was never read: the connection cannot carry another
                // request, so the client is told not to reuse it.
                ex.getResponseHeaders().set("Connection", "close");
            }
            status = Http.sendJson(ex, e.status, Map.of("error", e.getMessage()));
        } catch (ReviewDesk.Refused e) {
            status = Http.sendJson(ex, 409, Map.of("error", e.getMessage()));
        } catch (IllegalArgumentException e) {
            status = Http.sendJson(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", method, path, e);
            status = Http.sendJson(ex, 500, Map.of("error", "internal error; see the console log"));
        } finally {
            metrics.inc("vigil_console_http_requests_total", "status=\"" + status + "\"");
            ex.close();
        }
    }

    /** Every API call: a session, the CSRF header on changes, then the concern's handler. */
    private int api(HttpExchange ex, String method, String path) throws IOException {
        Sessions.Session s =
                sessions.get(Http.cookie(ex, COOKIE))
                        .orElseThrow(() -> new HttpError(401, "log in first"));
        if (!method.equals("GET") && !"1".equals(ex.getRequestHeaders().getFirst(CSRF_HEADER))) {
            throw new HttpError(403, "missing " + CSRF_HEADER + " header");
        }
        List<String> seg = PathSegments.decode(path, "/api/");
        ApiHandler h = routes.get(seg.get(0));
        if (h == null) {
            throw ApiHandler.noSuchEndpoint();
        }
        return h.handle(new ApiCall(ex, s, method, path, seg));
    }

    /** Public: the Ingress in front of the console must let bodies this large through. */
    public static final int MAX_ENROLMENT_BODY = 32 * 1024 * 1024;

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
