package io.vigil.common.audit;

import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds audit events with the fields every event has: id, type, time and actor. */
public final class AuditEvents {
    private AuditEvents() {}

    /** A new event with a random id and an empty details map, to be filled by the caller. */
    public static AuditEvent.Builder event(AuditEventType type, String actor, Instant at) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("an audit event needs an actor");
        }
        return AuditEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setType(type)
                .setTimestamp(at)
                .setActor(actor)
                .setDetails(new LinkedHashMap<>());
    }

    /** Details from alternating keys and values; null values are left out. */
    /** The longest actor or detail value recorded from outside input, in characters. */
    public static final int MAX_TEXT = 128;

    /**
     * Text that came from outside (a user name typed at a login form) cut to {@link #MAX_TEXT}, so
     * a stranger cannot make every audit record as large as the request that carried it.
     */
    public static String capped(String text) {
        if (text == null || text.length() <= MAX_TEXT) {
            return text;
        }
        return text.substring(0, MAX_TEXT) + "...(" + text.length() + " chars)";
    }

    public static Map<String, String> details(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("details need key/value pairs");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                m.put(keysAndValues[i].toString(), keysAndValues[i + 1].toString());
            }
        }
        return m;
    }

    /** The Kafka key of an event: its most specific subject, so one subject stays in order. */
    public static String key(AuditEvent e) {
        if (e.getAlertId() != null) {
            return e.getAlertId();
        }
        if (e.getWatchlistEntryId() != null) {
            return e.getWatchlistEntryId();
        }
        if (e.getCameraId() != null) {
            return e.getCameraId();
        }
        return e.getActor();
    }
}
