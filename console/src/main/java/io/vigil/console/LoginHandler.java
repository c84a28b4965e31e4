package io.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.vigil.common.audit.AuditEvents;
import io.vigil.schemas.AuditEventType;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** Session and login: {@code POST /api/login} (before any session), {@code logout}, {@code me}. */
final class LoginHandler implements ApiHandler {
    private final Users users;
    private final Sessions sessions;
    private final ConsoleMetrics metrics;
    private final Access access;
    private final boolean secureCookies;

    LoginHandler(
            Users users,
            Sessions sessions,
            ConsoleMetrics metrics,
            Access access,
            boolean secureCookies) {
        this.users = users;
        this.sessions = sessions;
        this.metrics = metrics;
        this.access = access;
        this.secureCookies = secureCookies;
    }

    int login(HttpExchange ex) throws IOException {
        // Login CSRF: a form on another site can post urlencoded or text bodies, but cannot set
        // this header or a JSON content type without the browser asking this server first.
        if (!"1".equals(ex.getRequestHeaders().getFirst(ConsoleServer.CSRF_HEADER))) {
            throw new HttpError(403, "missing " + ConsoleServer.CSRF_HEADER + " header");
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null
                || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new HttpError(415, "a login is a JSON body (Content-Type: application/json)");
        }
        JsonNode body = Http.readJson(ex, Http.MAX_LOGIN_BODY);
        String user = body.path("user").asText("");
        char[] password = body.path("password").asText("").toCharArray();
        String client = ex.getRemoteAddress().getAddress().getHostAddress();
        // A name as the audit log records it: whatever a stranger typed, bounded.
        String named = user.isBlank() ? "(blank)" : AuditEvents.capped(user);
        if (!sessions.admit(user, client)) {
            java.util.Arrays.fill(password, '\0');
            metrics.inc("vigil_console_logins_total", "result=\"locked\"");
            access.audit(AuditEventType.USER_LOGIN_FAILED, named, "locked after repeated failures");
            throw new HttpError(429, "too many failed logins; try again in a minute");
        }
        Optional<Users.User> u = users.authenticate(user, password);
        java.util.Arrays.fill(password, '\0');
        if (u.isEmpty()) {
            sessions.failed(user, client);
            metrics.inc("vigil_console_logins_total", "result=\"failed\"");
            access.audit(AuditEventType.USER_LOGIN_FAILED, named, "wrong user name or password");
            throw new HttpError(401, "wrong user name or password");
        }
        sessions.succeeded(user, client);
        Sessions.Session s = sessions.open(u.get().name(), u.get().role());
        metrics.inc("vigil_console_logins_total", "result=\"ok\"");
        access.audit(AuditEventType.USER_LOGIN, s.user(), "role " + s.role());
        ex.getResponseHeaders()
                .add(
                        "Set-Cookie",
                        ConsoleServer.COOKIE
                                + "="
                                + s.token()
                                + "; Path=/; HttpOnly; SameSite=Strict"
                                + (secureCookies ? "; Secure" : ""));
        return Http.sendJson(ex, 200, ConsoleJson.me(s));
    }

    @Override
    public int handle(ApiCall c) throws IOException {
        switch (c.method() + " " + c.seg().get(0)) {
            case "POST logout" -> {
                sessions.close(c.session().token());
                access.audit(AuditEventType.USER_LOGOUT, c.user(), null);
                c.ex().getResponseHeaders()
                        .add("Set-Cookie", ConsoleServer.COOKIE + "=; Path=/; Max-Age=0");
                return Http.sendJson(c.ex(), 200, Map.of("loggedOut", true));
            }
            case "GET me" -> {
                return Http.sendJson(c.ex(), 200, ConsoleJson.me(c.session()));
            }
            default -> throw ApiHandler.noSuchEndpoint();
        }
    }
}
