package io.vigil.processing.watchlist;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.matching.IndexedEntry;
import io.vigil.processing.face.QualityFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchlist over HTTP, the same operations as the CLI through the same {@link
 * WatchlistService}.
 *
 * <pre>
 * POST   /v1/watchlist/entries                 enrol (JSON: externalId, legalBasis, expiresAt | expiresInDays,
 *                                              maxFaces, qualityFilter, photos: [{name, base64}])
 * GET    /v1/watchlist/entries                 list
 * GET    /v1/watchlist/entries/{externalId}    show
 * DELETE /v1/watchlist/entries/{externalId}?reason=...   remove
 * POST   /v1/watchlist/expire                  purge expired entries
 * GET    /v1/watchlist/export                  JSON lines, metadata only
 * </pre>
 *
 * Every request names its actor in the {@code X-Vigil-Actor} header, which goes to the audit sink.
 * There are no user accounts yet (the console issue brings them), so the server binds to loopback
 * by default and must not be exposed as it is. Requests are served one at a time: the service owns
 * one set of ONNX sessions.
 */
public final class WatchlistHttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchlistHttpApi.class);
    static final String ACTOR_HEADER = "X-Vigil-Actor";
    static final String SWEEP_ACTOR = "system:expiry-sweep";
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final WatchlistService service;
    private final QualityFilter defaultQuality;

    private WatchlistHttpApi(
            HttpServer server,
            ExecutorService executor,
            WatchlistService service,
            QualityFilter q) {
        this.server = server;
        this.executor = executor;
        this.service = service;
        this.defaultQuality = q;
    }

    /**
     * Starts the API. With a positive {@code purgeEvery}, expired entries are also purged on that
     * schedule (actor {@code system:expiry-sweep}), on the same thread as the requests.
     */
    public static WatchlistHttpApi start(
            WatchlistService service,
            InetSocketAddress bind,
            QualityFilter defaultQuality,
            Duration purgeEvery)
            throws IOException {
        HttpServer server = HttpServer.create(bind, 0);
        ScheduledExecutorService executor =
                Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "watchlist-http"));
        WatchlistHttpApi api = new WatchlistHttpApi(server, executor, service, defaultQuality);
        server.createContext("/v1/watchlist/", api::handle);
        server.setExecutor(executor);
        if (!purgeEvery.isZero() && !purgeEvery.isNegative()) {
            executor.scheduleWithFixedDelay(
                    api::sweepExpired, 0, purgeEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
        server.start();
        LOG.info(
                "Watchlist HTTP API on http://{}:{}/v1/watchlist/",
                bind.getHostString(),
                api.port());
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String actor = ex.getRequestHeaders().getFirst(ACTOR_HEADER);
            if (actor == null || actor.isBlank()) {
                send(
                        ex,
                        401,
                        Map.of(
                                "error",
                                "the " + ACTOR_HEADER + " header is required (who is asking)"));
                return;
            }
            String path = ex.getRequestURI().getPath().substring("/v1/watchlist/".length());
            String method = ex.getRequestMethod();
            try {
                route(ex, method, path, actor);
            } catch (IllegalArgumentException e) {
                send(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
            } catch (RuntimeException e) {
                LOG.error("watchlist request {} {} failed", method, path, e);
                send(ex, 500, Map.of("error", "internal error: " + e));
            }
        }
    }

    private void route(HttpExchange ex, String method, String path, String actor)
            throws IOException {
        if (path.equals("entries") && method.equals("POST")) {
            send(ex, 201, service.enroll(enrollment(readJson(ex), actor)));
        } else if (path.equals("entries") && method.equals("GET")) {
            send(ex, 200, service.list(actor).stream().map(WatchlistJson::entry).toList());
        } else if (path.startsWith("entries/") && method.equals("GET")) {
            Optional<IndexedEntry> e = service.show(externalId(path), actor);
            if (e.isPresent()) {
                send(ex, 200, WatchlistJson.entry(e.get()));
            } else {
                send(ex, 404, Map.of("error", "no entry " + externalId(path)));
            }
        } else if (path.startsWith("entries/") && method.equals("DELETE")) {
            String reason = query(ex).get("reason");
            long removed = service.remove(externalId(path), actor, reason);
            send(
                    ex,
                    removed > 0 ? 200 : 404,
                    Map.of("externalId", externalId(path), "removedFaces", removed));
        } else if (path.equals("expire") && method.equals("POST")) {
            send(ex, 200, Map.of("purgedFaces", service.expire(actor)));
        } else if (path.equals("export") && method.equals("GET")) {
            StringBuilder lines = new StringBuilder();
            for (IndexedEntry e : service.list(actor)) {
                lines.append(WatchlistJson.COMPACT.writeValueAsString(WatchlistJson.entry(e)))
                        .append('\n');
            }
            sendBytes(
                    ex,
                    200,
                    "application/x-ndjson",
                    lines.toString().getBytes(StandardCharsets.UTF_8));
        } else {
            send(ex, 404, Map.of("error", "no route " + method + " /v1/watchlist/" + path));
        }
    }

    private Enrollment enrollment(JsonNode body, String actor) {
        return WatchlistJson.enrollment(body, actor, defaultQuality);
    }

    private static JsonNode readJson(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException(
                    "request body over " + (MAX_BODY_BYTES >> 20) + " MiB");
        }
        try {
            return WatchlistJson.COMPACT.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("request body is not JSON: " + e.getMessage());
        }
    }

    private static String externalId(String path) {
        return URLDecoder.decode(path.substring("entries/".length()), StandardCharsets.UTF_8);
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new HashMap<>();
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                int i = kv.indexOf('=');
                if (i > 0) {
                    out.put(
                            URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        sendBytes(ex, status, "application/json", WatchlistJson.MAPPER.writeValueAsBytes(body));
    }

    private static void sendBytes(HttpExchange ex, int status, String type, byte[] bytes)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void sweepExpired() {
        try {
            service.expire(SWEEP_ACTOR);
        } catch (RuntimeException e) {
            LOG.error("scheduled purge of expired watchlist entries failed; retrying next time", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
