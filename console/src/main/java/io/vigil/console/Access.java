package io.vigil.console;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditLog;
import io.vigil.schemas.AuditEventType;
import java.time.Instant;

/** The policy every handler applies: which role may use a route, every refusal audited. */
final class Access {
    private final AuditLog audit;
    private final ConsoleMetrics metrics;

    Access(AuditLog audit, ConsoleMetrics metrics) {
        this.audit = audit;
        this.metrics = metrics;
    }

    /**
     * Refuses (403, audited as {@code ACCESS_DENIED} with the path, the caller's role and the role
     * needed) a session whose role does not allow it.
     */
    void require(Sessions.Session s, Role role, String path) {
        if (!s.role().allows(role)) {
            denied(
                    s.user(),
                    path,
                    s.role() + " may not use " + path + " (needs " + role + ")",
                    "role",
                    s.role(),
                    "needs",
                    role);
            throw new HttpError(
                    403, "your role " + s.role() + " may not do this (needs " + role + ")");
        }
    }

    void require(ApiCall c, Role role) {
        require(c.session(), role, c.path());
    }

    /** Counts and audits a refusal at {@code path}; the caller answers it. */
    void denied(String user, String path, String reason, Object... details) {
        metrics.inc("vigil_console_access_denied_total", "");
        Object[] all = new Object[details.length + 2];
        all[0] = "path";
        all[1] = AuditEvents.capped(path);
        System.arraycopy(details, 0, all, 2, details.length);
        audit.record(
                AuditEvents.event(AuditEventType.ACCESS_DENIED, user, Instant.now())
                        .setReason(reason)
                        .setDetails(AuditEvents.details(all))
                        .build());
    }

    void audit(AuditEventType type, String actor, String reason) {
        audit.record(AuditEvents.event(type, actor, Instant.now()).setReason(reason).build());
    }
}
