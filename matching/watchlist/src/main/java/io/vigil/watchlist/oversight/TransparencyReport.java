package io.vigil.watchlist.oversight;

import io.vigil.common.audit.AuditVerifier;
import io.vigil.index.IndexedEntry;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.CameraRegistration;
import io.vigil.watchlist.gallery.InvestigationSearch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A report an agency can publish: the cameras in use and their authorizations, the watchlist by
 * purpose and type of legal basis (counts only), entries added, removed, erased and expired, alerts
 * raised, confirmed and rejected per camera with the observed false-alert rate, investigation
 * searches with their outcomes and refusals, gallery changes, and whether the audit log it was
 * counted from verified intact. Built from the audit log, the camera registry and the watchlist; it
 * holds no external id, no name, no image and no embedding.
 */
public final class TransparencyReport {
    private static final Pattern BASIS_TYPE = Pattern.compile("^\\s*([A-Za-z]+)");

    /**
     * The console's investigation-search API: an {@code ACCESS_DENIED} there is a search refused
     * for the user's role.
     */
    public static final String SEARCH_PATH = "/api/search";

    static final String WRONG_ROLE = "WRONG_ROLE";

    private TransparencyReport() {}

    /**
     * The report for {@code [from, to)}: events outside the period are ignored; cameras and the
     * watchlist are as they are now.
     */
    public static Map<String, Object> build(
            Instant from,
            Instant to,
            Instant generatedAt,
            List<AuditEvent> events,
            Collection<CameraRegistration> cameras,
            List<IndexedEntry> watchlist,
            AuditVerifier.Result verification) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("period", Map.of("from", from.toString(), "to", to.toString()));
        r.put("generatedAt", generatedAt.toString());
        r.put("cameras", cameras(cameras));
        r.put("watchlist", watchlist(watchlist));
        List<AuditEvent> inPeriod =
                events.stream()
                        .filter(
                                e ->
                                        !e.getTimestamp().isBefore(from)
                                                && e.getTimestamp().isBefore(to))
                        .toList();
        r.put("watchlistChanges", changes(inPeriod));
        r.put("alertsByCamera", alerts(inPeriod));
        r.put("investigationSearches", investigations(inPeriod));
        r.put("galleryChanges", galleryChanges(inPeriod));
        r.put("auditLogVerification", verification(verification));
        return r;
    }

    /** The outcome of verifying the whole audit topic, as counts (findings by kind). */
    private static Map<String, Object> verification(AuditVerifier.Result v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("intact", v.intact());
        m.put("records", v.records());
        m.put("writers", v.writers());
        m.put("signedCheckpoints", v.checkpoints());
        Map<String, Long> byKind = new TreeMap<>();
        v.findings().forEach(f -> byKind.merge(f.kind().name(), 1L, Long::sum));
        m.put("findings", byKind);
        return m;
    }

    private static List<Map<String, Object>> cameras(Collection<CameraRegistration> cameras) {
        List<Map<String, Object>> out = new ArrayList<>();
        cameras.stream()
                .sorted((a, b) -> a.getCameraId().compareTo(b.getCameraId()))
                .forEach(
                        c -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("cameraId", c.getCameraId());
                            m.put("name", c.getName());
                            m.put("location", c.getLocation());
                            m.put("owner", c.getOwner());
                            m.put("authorizationRef", c.getAuthorizationRef());
                            m.put("purposes", List.copyOf(c.getPurposes()));
                            m.put("authorizedFrom", c.getAuthorizedFrom().toString());
                            m.put("authorizedUntil", c.getAuthorizedUntil().toString());
                            m.put("status", c.getStatus().name());
                            out.add(m);
                        });
        return out;
    }

    private static Map<String, Object> watchlist(List<IndexedEntry> entries) {
        Map<String, Integer> byPurpose = new TreeMap<>();
        Map<String, Integer> byBasis = new TreeMap<>();
        int faces = 0;
        for (IndexedEntry e : entries) {
            e.entry().purposes().forEach(p -> byPurpose.merge(p, 1, Integer::sum));
            byBasis.merge(basisType(e.entry().legalBasis()), 1, Integer::sum);
            faces += e.faceIds().size();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entries", entries.size());
        m.put("faces", faces);
        m.put("entriesByPurpose", byPurpose);
        m.put("entriesByLegalBasisType", byBasis);
        return m;
    }

    /**
     * The kind of a legal basis without its reference: the leading word, upper case ("CASE" for
     * "case-2026-0412 (court order 17/26)"), else "OTHER".
     */
    static String basisType(String legalBasis) {
        Matcher m = BASIS_TYPE.matcher(legalBasis == null ? "" : legalBasis);
        return m.find() ? m.group(1).toUpperCase(Locale.ROOT) : "OTHER";
    }

    private static Map<String, Object> changes(List<AuditEvent> events) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enrolments", count(events, AuditEventType.WATCHLIST_ENROLL));
        m.put("photosAdded", count(events, AuditEventType.WATCHLIST_ADD_PHOTOS));
        m.put("removals", count(events, AuditEventType.WATCHLIST_REMOVE));
        m.put("erasures", count(events, AuditEventType.PERSON_ERASED));
        m.put("facesExpired", sum(events, AuditEventType.WATCHLIST_EXPIRE, "faces"));
        return m;
    }

    /**
     * Investigation searches in the period, as counts: searches, distinct cases and investigators
     * (never their numbers or names), what the investigators recorded of them, and every refusal:
     * by {@link InvestigationSearch.Refusal} from the search's own audit, and {@code WRONG_ROLE}
     * for a user whose role may not search (the console's {@code ACCESS_DENIED} on {@link
     * #SEARCH_PATH}).
     */
    private static Map<String, Object> investigations(List<AuditEvent> events) {
        Set<String> searches = new HashSet<>();
        Set<String> cases = new HashSet<>();
        Set<String> investigators = new HashSet<>();
        long probesKept = 0;
        for (AuditEvent e : events) {
            if (e.getType() == AuditEventType.INVESTIGATION_SEARCH) {
                searches.add(e.getEventId());
                cases.add(e.getDetails().getOrDefault("case", ""));
                investigators.add(e.getActor());
                if ("true".equals(e.getDetails().get("probeKept"))) {
                    probesKept++;
                }
            }
        }
        Map<String, Long> outcomes = new TreeMap<>();
        for (InvestigationSearch.Outcome o : InvestigationSearch.Outcome.values()) {
            outcomes.put(o.name(), 0L);
        }
        Map<String, String> outcomeOf = new HashMap<>();
        Map<String, Long> refusals = new TreeMap<>();
        for (InvestigationSearch.Refusal why : InvestigationSearch.Refusal.values()) {
            refusals.put(why.name(), 0L);
        }
        refusals.put(WRONG_ROLE, 0L);
        for (AuditEvent e : events) {
            switch (e.getType()) {
                case INVESTIGATION_OUTCOME -> {
                    // A search counts once, with the latest outcome recorded for it; an earlier
                    // period's search is counted in that period's report.
                    String search = e.getDetails().getOrDefault("searchId", "");
                    if (searches.contains(search)) {
                        outcomeOf.put(search, e.getDetails().getOrDefault("outcome", "?"));
                    }
                }
                case INVESTIGATION_SEARCH_REFUSED ->
                        refusals.merge(
                                e.getDetails().getOrDefault("refusal", "OTHER"), 1L, Long::sum);
                case ACCESS_DENIED -> {
                    String path = e.getDetails().getOrDefault("path", "");
                    if (path.equals(SEARCH_PATH) || path.startsWith(SEARCH_PATH + "/")) {
                        refusals.merge(WRONG_ROLE, 1L, Long::sum);
                    }
                }
                default -> {}
            }
        }
        outcomeOf.values().forEach(o -> outcomes.merge(o, 1L, Long::sum));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("searches", (long) searches.size());
        m.put("cases", (long) cases.size());
        m.put("investigators", (long) investigators.size());
        m.put("outcomesRecorded", outcomes);
        m.put("searchesWithoutOutcome", (long) (searches.size() - outcomeOf.size()));
        m.put("probesKept", probesKept);
        m.put("refusals", refusals);
        return m;
    }

    private static Map<String, Object> galleryChanges(List<AuditEvent> events) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("imports", count(events, AuditEventType.GALLERY_IMPORT));
        m.put("bookingsRemovedOnRequest", count(events, AuditEventType.GALLERY_REMOVE));
        m.put("bookingsPurged", sum(events, AuditEventType.GALLERY_PURGE, "entries"));
        return m;
    }

    private static List<Map<String, Object>> alerts(List<AuditEvent> events) {
        Map<String, long[]> byCamera = new TreeMap<>();
        Map<String, String> lastStatus = new LinkedHashMap<>();
        Map<String, String> cameraOf = new LinkedHashMap<>();
        for (AuditEvent e : events) {
            if (e.getCameraId() == null) {
                continue;
            }
            if (e.getType() == AuditEventType.ALERT_RAISED) {
                byCamera.computeIfAbsent(e.getCameraId(), k -> new long[3])[0]++;
            } else if (e.getType() == AuditEventType.REVIEW_DECISION && e.getAlertId() != null) {
                String after = e.getDetails().get("statusAfter");
                if (after != null) {
                    lastStatus.put(e.getAlertId(), after);
                    cameraOf.put(e.getAlertId(), e.getCameraId());
                }
            }
        }
        lastStatus.forEach(
                (alert, status) -> {
                    long[] c = byCamera.computeIfAbsent(cameraOf.get(alert), k -> new long[3]);
                    if ("CONFIRMED".equals(status)) {
                        c[1]++;
                    } else if ("REJECTED".equals(status)) {
                        c[2]++;
                    }
                });
        List<Map<String, Object>> out = new ArrayList<>();
        byCamera.forEach(
                (camera, c) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("cameraId", camera);
                    m.put("raised", c[0]);
                    m.put("confirmed", c[1]);
                    m.put("rejected", c[2]);
                    long settled = c[1] + c[2];
                    m.put(
                            "observedFalseAlertRate",
                            settled == 0
                                    ? "no settled alert"
                                    : String.format(Locale.ROOT, "%.3f", (double) c[2] / settled));
                    out.add(m);
                });
        return out;
    }

    private static long count(List<AuditEvent> events, AuditEventType type) {
        return events.stream().filter(e -> e.getType() == type).count();
    }

    private static long sum(List<AuditEvent> events, AuditEventType type, String detail) {
        long total = 0;
        for (AuditEvent e : events) {
            if (e.getType() == type) {
                try {
                    total += Long.parseLong(e.getDetails().getOrDefault(detail, "0"));
                } catch (NumberFormatException ignored) {
                    // A detail that is not a count adds nothing.
                }
            }
        }
        return total;
    }

    /** The report as a page anyone can read: the same content, every value escaped. */
    @SuppressWarnings("unchecked")
    public static String html(Map<String, Object> report) {
        StringBuilder h = new StringBuilder();
        Map<String, String> period = (Map<String, String>) report.get("period");
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Vigil transparency report</title>")
                .append("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #999;")
                .append("padding:.3em .6em;text-align:left}</style></head><body>\n")
                .append("<h1>Face recognition: transparency report</h1>\n<p>Period ")
                .append(esc(period.get("from")))
                .append(" to ")
                .append(esc(period.get("to")))
                .append(", generated ")
                .append(esc(String.valueOf(report.get("generatedAt"))))
                .append(
                        ". Counts only: this report holds no name, no identifier of a person, no"
                                + " image.</p>\n");
        h.append("<h2>Cameras in use</h2>\n");
        table(
                h,
                (List<Map<String, Object>>) report.get("cameras"),
                List.of(
                        "cameraId",
                        "name",
                        "location",
                        "owner",
                        "authorizationRef",
                        "purposes",
                        "authorizedFrom",
                        "authorizedUntil",
                        "status"));
        Map<String, Object> w = (Map<String, Object>) report.get("watchlist");
        h.append("<h2>Watchlist</h2>\n<p>")
                .append(w.get("entries"))
                .append(" people, ")
                .append(w.get("faces"))
                .append(" enrolled faces.</p>\n<h3>By purpose</h3>\n");
        counts(h, (Map<String, Integer>) w.get("entriesByPurpose"));
        h.append("<h3>By type of legal basis</h3>\n");
        counts(h, (Map<String, Integer>) w.get("entriesByLegalBasisType"));
        h.append("<h2>Changes in the period</h2>\n");
        counts(h, (Map<String, ?>) report.get("watchlistChanges"));
        h.append("<h2>Alerts in the period</h2>\n");
        table(
                h,
                (List<Map<String, Object>>) report.get("alertsByCamera"),
                List.of("cameraId", "raised", "confirmed", "rejected", "observedFalseAlertRate"));
        Map<String, Object> inv = (Map<String, Object>) report.get("investigationSearches");
        h.append("<h2>Investigation searches</h2>\n<p>")
                .append(inv.get("searches"))
                .append(" searches of the booking-photo gallery in ")
                .append(inv.get("cases"))
                .append(" cases by ")
                .append(inv.get("investigators"))
                .append(
                        " investigators. Each gives leads for a human to check, never an"
                                + " identification.</p>\n"
                                + "<h3>What the investigators recorded</h3>\n");
        Map<String, Object> recorded =
                new LinkedHashMap<>((Map<String, Object>) inv.get("outcomesRecorded"));
        recorded.put("not recorded", inv.get("searchesWithoutOutcome"));
        counts(h, recorded);
        h.append("<h3>Searches refused</h3>\n");
        counts(h, (Map<String, ?>) inv.get("refusals"));
        h.append("<h2>Gallery changes in the period</h2>\n");
        counts(h, (Map<String, ?>) report.get("galleryChanges"));
        h.append("<h2>Audit log</h2>\n<p>");
        Map<String, Object> v = (Map<String, Object>) report.get("auditLogVerification");
        h.append(
                        Boolean.TRUE.equals(v.get("intact"))
                                ? "Verified intact: "
                                : "NOT INTACT: the verification found "
                                        + esc(String.valueOf(v.get("findings")))
                                        + " in ")
                .append(v.get("records"))
                .append(" records from ")
                .append(v.get("writers"))
                .append(" writers, with ")
                .append(v.get("signedCheckpoints"))
                .append(
                        " signed checkpoints (every event hash-chained; checkpoints signed with"
                                + " Ed25519).</p>\n</body></html>\n");
        return h.toString();
    }

    private static void table(StringBuilder h, List<Map<String, Object>> rows, List<String> cols) {
        h.append("<table><tr>");
        cols.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>\n");
        for (Map<String, Object> r : rows) {
            h.append("<tr>");
            cols.forEach(
                    c -> h.append("<td>").append(esc(String.valueOf(r.get(c)))).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void counts(StringBuilder h, Map<String, ?> counts) {
        h.append("<table>");
        counts.forEach(
                (k, v) ->
                        h.append("<tr><th>")
                                .append(esc(k))
                                .append("</th><td>")
                                .append(esc(String.valueOf(v)))
                                .append("</td></tr>"));
        h.append("</table>\n");
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
