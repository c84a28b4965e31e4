package io.vigil.console;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;

/** The console's page, its script and style, with a content security policy. */
final class StaticFiles {
    private StaticFiles() {}

    static int serve(HttpExchange ex, String path) throws IOException {
        String name =
                switch (path) {
                    case "/", "/index.html" -> "index.html";
                    case "/app.js" -> "app.js";
                    case "/style.css" -> "style.css";
                    default -> null;
                };
        if (name == null) {
            return Http.send(ex, 404, "text/plain", "not found");
        }
        try (InputStream in = StaticFiles.class.getResourceAsStream("/console/" + name)) {
            String type =
                    name.endsWith(".js")
                            ? "text/javascript"
                            : name.endsWith(".css") ? "text/css" : "text/html";
            ex.getResponseHeaders()
                    .add(
                            "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' blob:; object-src 'none';"
                                    + " frame-ancestors 'none'");
            return Http.send(ex, 200, type + "; charset=utf-8", in.readAllBytes());
        }
    }
}
