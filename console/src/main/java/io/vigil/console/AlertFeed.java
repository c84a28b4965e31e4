package io.vigil.console;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live feed of alerts as server-sent events: every alert change, until the client goes away or
 * its session ends (logout, idle timeout, lifetime), checked every second. Each open feed holds a
 * request thread, so their number is capped.
 */
final class AlertFeed {
    private static final Logger LOG = LoggerFactory.getLogger(AlertFeed.class);

    private final AlertBoard alerts;
    private final Sessions sessions;
    private final ConsoleJson json;
    private final int maxFeeds;
    private final BooleanSupplier stopped;
    private final AtomicInteger open = new AtomicInteger();

    AlertFeed(
            AlertBoard alerts,
            Sessions sessions,
            ConsoleJson json,
            int maxFeeds,
            BooleanSupplier stopped) {
        this.alerts = alerts;
        this.sessions = sessions;
        this.json = json;
        this.maxFeeds = maxFeeds;
        this.stopped = stopped;
    }

    int open() {
        return open.get();
    }

    int stream(HttpExchange ex, String token) throws IOException {
        if (open.incrementAndGet() > maxFeeds) {
            open.decrementAndGet();
            throw new HttpError(503, "too many live feeds are open; try again later");
        }
        try {
            return streamTo(ex, token);
        } finally {
            open.decrementAndGet();
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
                        queue.offer(Http.JSON.writeValueAsString(json.alert(e)));
                    } catch (IOException ignored) {
                        // not reachable for maps of plain values
                    }
                };
        alerts.listen(listener);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            long lastWrite = System.nanoTime();
            while (!stopped.getAsBoolean()) {
                if (sessions.peek(token).isEmpty()) {
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
            alerts.unlisten(listener);
        }
        return 200;
    }
}
