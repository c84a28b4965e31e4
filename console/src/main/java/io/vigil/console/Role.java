package io.vigil.console;

import java.util.Locale;

/**
 * Console roles. Analyst, reviewer and admin each may do what the ones before them may; the
 * investigator stands apart: only they search the booking-photo gallery, and they see nothing else.
 */
public enum Role {
    /** Sees alerts, cameras and the watchlist. */
    ANALYST,
    /** Also confirms or rejects alerts. */
    REVIEWER,
    /** Also enrols and removes watchlist entries, suspends cameras and exports the audit log. */
    ADMIN,
    /** Searches the gallery with a probe photo and a case number; nothing else. */
    INVESTIGATOR;

    public boolean allows(Role required) {
        if (this == INVESTIGATOR || required == INVESTIGATOR) {
            return this == required;
        }
        return ordinal() >= required.ordinal();
    }

    public static Role parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown role '" + s + "' (analyst, reviewer, admin or investigator)", e);
        }
    }
}
