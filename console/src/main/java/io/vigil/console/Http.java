package io.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.vigil.common.audit.AuditEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** The transport: reading bounded request bodies and parameters, writing responses. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Largest request body read before the caller is authenticated (the login form). */
    static final int MAX_LOGIN_BODY = 4 * 1024;

    /** Largest body of an authenticated request, and of an enrolment with its photos. */
    static final int MAX_BODY = 64 * 1024;

    /** How much of an oversized body is read and dropped before the refusal. */
    static final int MAX_DRAIN = 1024 * 1024;

    private Http() {}

    static JsonNode readJson(HttpExchange ex) throws IOException {
        return readJson(ex, MAX_BODY);
    }

    /**
     * The body as JSON; a body over {@code max} bytes is refused (413) without being kept or
     * parsed. Up to {@link #MAX_DRAIN} bytes of the rest are read and dropped first, so a client
     * that overshoots reads the answer instead of a reset connection; beyond that the connection is
     * closed.
     */
    static JsonNode readJson(HttpExchange ex, int max) throws IOException {
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

    /** An enum constant from a request, or a 400 that lists the allowed ones. */
    static <E extends Enum<E>> E named(Class<E> type, String field, String value) {
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

    static String cookie(HttpExchange ex, String name) {
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String h : headers) {
            for (String part : h.split(";")) {
                String t = part.trim();
                if (t.startsWith(name + "=")) {
                    return t.substring(name.length() + 1);
                }
            }
        }
        return null;
    }

    static String query(HttpExchange ex, String name) {
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

    static Instant instant(String v, Instant fallback) {
        return v == null || v.isBlank() ? fallback : Instant.parse(v);
    }

    static int jpeg(HttpExchange ex, ByteBuffer image) throws IOException {
        byte[] b = new byte[image.remaining()];
        image.duplicate().get(b);
        return privateJpeg(ex, b);
    }

    /** A face image: never cached by the browser or a proxy. */
    static int privateJpeg(HttpExchange ex, byte[] image) throws IOException {
        ex.getResponseHeaders().add("Cache-Control", "private, no-store");
        return send(ex, 200, "image/jpeg", image);
    }

    static int sendJson(HttpExchange ex, int status, Object body) throws IOException {
        return send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    static int send(HttpExchange ex, int status, String type, String body) throws IOException {
        return send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    static int send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
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
}
