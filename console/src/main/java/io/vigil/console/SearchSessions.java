package io.vigil.console;

import io.vigil.watchlist.gallery.InvestigationSearch;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recent searches of each user, so that a user sees the gallery faces of their own candidates
 * and no other, and records outcomes only of searches they made.
 */
final class SearchSessions {
    private static final int KEPT = 1000;

    private record Made(String user, InvestigationSearch.Result result) {}

    private final Map<String, Made> searches =
            new LinkedHashMap<>(16, 0.75f, false) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Made> e) {
                    return size() > KEPT;
                }
            };

    synchronized void remember(String user, InvestigationSearch.Result r) {
        searches.put(r.searchId(), new Made(user, r));
    }

    synchronized boolean isCandidate(String user, String searchId, String entryId, String faceId) {
        Made m = searches.get(searchId);
        return m != null
                && m.user().equals(user)
                && m.result().candidates().stream()
                        .anyMatch(c -> c.entryId().equals(entryId) && c.faceId().equals(faceId));
    }

    /** The case of one of the user's searches, or an error saying it is not theirs. */
    synchronized String caseOf(String user, String searchId) {
        Made m = searches.get(searchId);
        if (m == null || !m.user().equals(user)) {
            throw new IllegalArgumentException("no search " + searchId + " of " + user);
        }
        return m.result().caseNumber();
    }
}
