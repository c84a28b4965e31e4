package io.vigil.console;

import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Investigation searches for oversight, from the audit log: per user and per case, searches,
 * refusals and what came of them (corroborated, excluded, no action, not recorded).
 */
final class SearchReport {
    private SearchReport() {}

    static Map<String, Object> of(List<AuditEvent> events) {
        Map<String, String> caseOfSearch = new HashMap<>();
        Map<String, String> outcomeOfSearch = new HashMap<>();
        for (AuditEvent e : events) {
            if (e.getType() == AuditEventType.INVESTIGATION_SEARCH) {
                caseOfSearch.put(e.getEventId(), e.getDetails().getOrDefault("case", "?"));
            } else if (e.getType() == AuditEventType.INVESTIGATION_OUTCOME) {
                outcomeOfSearch.put(
                        e.getDetails().getOrDefault("searchId", ""),
                        e.getDetails().getOrDefault("outcome", "?"));
            }
        }
        Map<String, Map<String, Integer>> byUser = new TreeMap<>();
        Map<String, Map<String, Integer>> byCase = new TreeMap<>();
        for (AuditEvent e : events) {
            if (e.getType() == AuditEventType.INVESTIGATION_SEARCH) {
                String outcome = outcomeOfSearch.getOrDefault(e.getEventId(), "NOT_RECORDED");
                count(byUser, e.getActor(), "searches", outcome);
                count(byCase, caseOfSearch.get(e.getEventId()), "searches", outcome);
            } else if (e.getType() == AuditEventType.INVESTIGATION_SEARCH_REFUSED) {
                count(byUser, e.getActor(), "refused", null);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("byUser", rows(byUser, "user"));
        m.put("byCase", rows(byCase, "case"));
        return m;
    }

    private static void count(
            Map<String, Map<String, Integer>> m, String key, String what, String outcome) {
        Map<String, Integer> c = m.computeIfAbsent(key, k -> new TreeMap<>());
        c.merge(what, 1, Integer::sum);
        if (outcome != null) {
            c.merge(outcome, 1, Integer::sum);
        }
    }

    private static List<Map<String, Object>> rows(Map<String, Map<String, Integer>> m, String key) {
        List<Map<String, Object>> out = new ArrayList<>();
        m.forEach(
                (k, c) -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put(key, k);
                    r.putAll(c);
                    out.add(r);
                });
        return out;
    }
}
