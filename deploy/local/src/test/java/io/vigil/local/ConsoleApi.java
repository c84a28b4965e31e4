package io.vigil.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.console.ConsoleServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One user's session on a running console, over its real HTTP API as the page uses it: a login for
 * the session cookie, JSON bodies, and the CSRF header on every change.
 */
final class ConsoleApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A response: its status and its body as JSON (an empty object when there is none). */
    record Answer(int status, JsonNode body) {}

    private final String base;
    private final String cookie;

    private ConsoleApi(String base, String cookie) {
        this.base = base;
        this.cookie = cookie;
    }

    static ConsoleApi login(int port, String user, String password) throws Exception {
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/login"))
                                .header("Content-Type", "application/json")
                                .header(ConsoleServer.CSRF_HEADER, "1")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                JSON.createObjectNode()
                                                        .put("user", user)
                                                        .put("password", password)
                                                        .toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(user + " cannot log in: " + r.body());
        }
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return new ConsoleApi(base, setCookie.substring(0, setCookie.indexOf(';')));
    }

    Answer get(String path) throws Exception {
        return answer(request(path).GET().build());
    }

    Answer post(String path, Object body) throws Exception {
        return answer(
                request(path)
                        .header("Content-Type", "application/json")
                        .header(ConsoleServer.CSRF_HEADER, "1")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Cookie", cookie);
    }

    private static Answer answer(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        String text = new String(r.body(), StandardCharsets.UTF_8);
        JsonNode body =
                text.isBlank() || !text.startsWith("{") && !text.startsWith("[")
                        ? JSON.createObjectNode()
                        : JSON.readTree(text);
        return new Answer(r.statusCode(), body);
    }
}
