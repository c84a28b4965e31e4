package io.vigil.console;

import com.sun.net.httpserver.HttpExchange;
import java.util.List;

/**
 * One authenticated API request: the exchange, the caller's session, the method, the raw path and
 * its decoded segments after {@code /api/} ({@link PathSegments}).
 */
record ApiCall(
        HttpExchange ex, Sessions.Session session, String method, String path, List<String> seg) {

    String user() {
        return session.user();
    }

    String query(String name) {
        return Http.query(ex, name);
    }
}
