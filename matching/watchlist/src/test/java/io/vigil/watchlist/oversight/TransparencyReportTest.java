package io.vigil.watchlist.oversight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditVerifier;
import io.vigil.index.IndexedEntry;
import io.vigil.index.WatchlistEntry;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.watchlist.camera.TestCameras;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The transparency report counts what happened and names no one. */
class TransparencyReportTest {
    static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-12-01T00:00:00Z");

    static AuditEvent event(
            AuditEventType type, String camera, String alert, String person, String... details) {
        return AuditEvents.event(type, "Alice Analyst", Instant.parse("2026-11-10T10:00:00Z"))
                .setCameraId(camera)
                .setAlertId(alert)
                .setExternalId(person)
                .setReason("asked by Judge Smith")
                .setDetails(AuditEvents.details((Object[]) details))
                .build();
    }

    @Test
    void countsWhatHappenedAndHoldsNoNameNoIdentifierNoImage() throws Exception {
        List<AuditEvent> events =
                List.of(
                        event(AuditEventType.WATCHLIST_ENROLL, null, null, "jane.doe"),
                        event(AuditEventType.WATCHLIST_ENROLL, null, null, "john.roe"),
                        event(AuditEventType.PERSON_ERASED, null, null, "john.roe"),
                        event(AuditEventType.WATCHLIST_EXPIRE, null, null, null, "faces", "3"),
                        event(AuditEventType.ALERT_RAISED, "cam-1", "a1", "jane.doe"),
                        event(AuditEventType.ALERT_RAISED, "cam-1", "a2", "jane.doe"),
                        event(
                                AuditEventType.REVIEW_DECISION,
                                "cam-1",
                                "a1",
                                "jane.doe",
                                "statusAfter",
                                "PENDING"),
                        event(
                                AuditEventType.REVIEW_DECISION,
                                "cam-1",
                                "a1",
                                "jane.doe",
                                "statusAfter",
                                "CONFIRMED"),
                        event(
                                AuditEventType.REVIEW_DECISION,
                                "cam-1",
                                "a2",
                                "jane.doe",
                                "statusAfter",
                                "REJECTED"),
                        // Outside the period: not counted.
                        AuditEvents.event(
                                        AuditEventType.ALERT_RAISED,
                                        "system",
                                        Instant.parse("2026-12-02T00:00:00Z"))
                                .setCameraId("cam-1")
                                .setAlertId("a3")
                                .setDetails(Map.of())
                                .build());
        WatchlistEntry jane =
                new WatchlistEntry(
                        "entry-1",
                        "jane.doe",
                        "Alice Analyst",
                        FROM,
                        "case-2026-0412 (order of Judge Smith)",
                        TO,
                        "model",
                        List.of("missing persons", "wanted persons"));
        Map<String, Object> report =
                TransparencyReport.build(
                        FROM,
                        TO,
                        TO,
                        events,
                        List.of(TestCameras.active("cam-1", 1)),
                        List.of(new IndexedEntry(jane, List.of("f1", "f2"))),
                        new AuditVerifier.Result(
                                40,
                                3,
                                5,
                                0,
                                List.of(
                                        new AuditVerifier.Finding(
                                                AuditVerifier.Kind.ALTERED,
                                                0,
                                                17,
                                                0,
                                                "vigil/1",
                                                4,
                                                "vigil/1 #4 about jane.doe")),
                                List.of()));

        String json = new ObjectMapper().writeValueAsString(report);
        assertThat(json)
                .contains("\"entriesByPurpose\":{\"missing persons\":1,\"wanted persons\":1}")
                .contains("\"entriesByLegalBasisType\":{\"CASE\":1}")
                .contains("\"enrolments\":2")
                .contains("\"erasures\":1")
                .contains("\"facesExpired\":3")
                .contains(
                        "{\"cameraId\":\"cam-1\",\"raised\":2,\"confirmed\":1,\"rejected\":1,"
                                + "\"observedFalseAlertRate\":\"0.500\"}")
                .contains("ORDER-2026-001")
                .contains(
                        "\"auditLogVerification\":{\"intact\":false,\"records\":40,\"writers\":3,"
                                + "\"signedCheckpoints\":5,\"findings\":{\"ALTERED\":1}}");
        String html = TransparencyReport.html(report);
        assertThat(html).contains("NOT INTACT").contains("{ALTERED=1}");
        for (String published : List.of(json, html)) {
            assertThat(published)
                    .doesNotContain("jane.doe")
                    .doesNotContain("john.roe")
                    .doesNotContain("entry-1")
                    .doesNotContain("Alice")
                    .doesNotContain("Judge Smith")
                    .doesNotContain("f1");
            assertThat(Pattern.compile("[A-Za-z0-9+/=]{200,}").matcher(published).find())
                    .as("no encoded image")
                    .isFalse();
        }
        assertThat(html).contains("<h1>").contains("cam-1").contains("0.500");
    }

    @Test
    void investigationSearchesAreCountedFromTheAuditWithoutCaseOrName() throws Exception {
        Instant t = Instant.parse("2026-11-10T10:00:00Z");
        List<AuditEvent> events =
                List.of(
                        search("s1", "det-jones", "CASE-2026-0412", t),
                        search("s2", "det-jones", "CASE-2026-0413", t),
                        search("s3", "det-smith", "CASE-2026-0413", t),
                        // Before the period: neither it nor its outcome counts.
                        search("s0", "det-smith", "CASE-2026-0001", FROM.minusSeconds(1)),
                        outcome("s1", "CORROBORATED", t),
                        // Changed later: the latest outcome counts, once.
                        outcome("s1", "EXCLUDED", t.plusSeconds(60)),
                        outcome("s2", "NO_ACTION", t),
                        outcome("s0", "EXCLUDED", t),
                        refused("OVER_QUOTA", t),
                        refused("NO_CASE_NUMBER", t),
                        refused("NO_CASE_NUMBER", t),
                        denied("/api/search", t),
                        denied("/api/search/s1/outcome", t),
                        // Not a search: the admin's report page, and another API.
                        denied("/api/search-report", t),
                        denied("/api/watchlist", t),
                        AuditEvents.event(AuditEventType.GALLERY_IMPORT, "clerk", t)
                                .setDetails(Map.of())
                                .build(),
                        AuditEvents.event(AuditEventType.GALLERY_PURGE, "scheduler", t)
                                .setDetails(AuditEvents.details("entries", 4))
                                .build());
        Map<String, Object> report =
                TransparencyReport.build(
                        FROM,
                        TO,
                        TO,
                        events,
                        List.of(),
                        List.of(),
                        new AuditVerifier.Result(17, 1, 1, 0, List.of(), List.of()));
        String json = new ObjectMapper().writeValueAsString(report);
        assertThat(json)
                .contains(
                        "\"investigationSearches\":{\"searches\":3,\"cases\":2,"
                                + "\"investigators\":2,\"outcomesRecorded\":{\"CORROBORATED\":0,"
                                + "\"EXCLUDED\":1,\"NO_ACTION\":1},\"searchesWithoutOutcome\":1,"
                                + "\"probesKept\":1,\"refusals\":{\"BAD_K\":0,"
                                + "\"NO_CASE_NUMBER\":2,\"NO_REASON\":0,\"OVER_QUOTA\":1,"
                                + "\"WRONG_ROLE\":2}}")
                .contains(
                        "\"galleryChanges\":{\"imports\":1,\"bookingsRemovedOnRequest\":0,"
                                + "\"bookingsPurged\":4}");
        String html = TransparencyReport.html(report);
        assertThat(html)
                .contains("3 searches of the booking-photo gallery in 2 cases by 2 investigators")
                .contains("<th>not recorded</th><td>1</td>")
                .contains("<th>WRONG_ROLE</th><td>2</td>");
        for (String published : List.of(json, html)) {
            assertThat(published)
                    .doesNotContain("det-")
                    .doesNotContain("CASE-2026")
                    .doesNotContain("not available");
        }
    }

    private static AuditEvent search(String id, String who, String caseNumber, Instant at) {
        return AuditEvents.event(AuditEventType.INVESTIGATION_SEARCH, who, at)
                .setEventId(id)
                .setDetails(
                        AuditEvents.details(
                                "case",
                                caseNumber,
                                "probeKept",
                                id.equals("s3") ? "true" : "false"))
                .build();
    }

    private static AuditEvent outcome(String search, String outcome, Instant at) {
        return AuditEvents.event(AuditEventType.INVESTIGATION_OUTCOME, "det-jones", at)
                .setDetails(AuditEvents.details("searchId", search, "outcome", outcome))
                .build();
    }

    private static AuditEvent refused(String why, Instant at) {
        return AuditEvents.event(AuditEventType.INVESTIGATION_SEARCH_REFUSED, "det-jones", at)
                .setDetails(AuditEvents.details("refusal", why))
                .build();
    }

    private static AuditEvent denied(String path, Instant at) {
        return AuditEvents.event(AuditEventType.ACCESS_DENIED, "an-analyst", at)
                .setDetails(AuditEvents.details("path", path))
                .build();
    }

    @Test
    void theTypeOfALegalBasisIsItsLeadingWordOnly() {
        assertThat(TransparencyReport.basisType("Warrant 17/26 (J. Doe)")).isEqualTo("WARRANT");
        assertThat(TransparencyReport.basisType("2026/17")).isEqualTo("OTHER");
        assertThat(TransparencyReport.esc("<b>&\"'")).isEqualTo("&lt;b&gt;&amp;&quot;&#39;");
    }
}
