package io.vigil.console;

import java.util.Locale;

/** Console roles, each allowed what the ones before it are. */
public enum Role {
    /** Sees alerts, cameras and the watchlist. */
    ANALYST,
    /** Also confirms or rejects alerts. */
    REVIEWER,
    /** Also enrols and removes watchlist entries, suspends cameras and exports the audit log. */
    ADMIN;

    public boolean allows(Role required) {
        return ordinal() >= required.ordinal();
    }

    public static Role parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown role '" + s + "' (analyst, reviewer or admin)", e);
        }
    }
}
