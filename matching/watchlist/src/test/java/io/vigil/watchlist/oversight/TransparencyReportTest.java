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
    void theTypeOfALegalBasisIsItsLeadingWordOnly() {
        assertThat(TransparencyReport.basisType("Warrant 17/26 (J. Doe)")).isEqualTo("WARRANT");
        assertThat(TransparencyReport.basisType("2026/17")).isEqualTo("OTHER");
        assertThat(TransparencyReport.esc("<b>&\"'")).isEqualTo("&lt;b&gt;&amp;&quot;&#39;");
    }
}
