package io.vigil.watchlist.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraRegistrationStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraAdminTest {
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    final TestCameras.MemoryStore store = new TestCameras.MemoryStore();
    final List<AuditEvent> audit = new ArrayList<>();
    final CameraAdmin admin = new CameraAdmin(store, audit::add, Clock.fixed(NOW, ZoneOffset.UTC));

    static final String FILE =
            """
            {"cameras": [
              {"id": "cam-1", "name": "Station entrance", "location": "Main St 1",
               "owner": "Transit police", "authorizationRef": "ORDER-2026-17",
               "purposes": ["missing persons"],
               "authorizedFrom": "2026-11-01", "authorizedUntil": "2027-05-01T00:00:00Z",
               "regionsOfInterest": [[[0.0, 0.2], [1.0, 0.2], [1.0, 1.0], [0.0, 1.0]]]},
              {"id": "cam-2", "name": "Platform 2", "location": "Main St 1",
               "owner": "Transit police", "authorizationRef": "ORDER-2026-17",
               "purposes": ["missing persons", "wanted persons"], "status": "suspended",
               "authorizedFrom": "2026-11-01", "authorizedUntil": "2027-05-01"}
            ]}
            """;

    @Test
    void importRegistersOnceAndEveryChangeIsAuditedWithActorAndReason(@TempDir Path tmp)
            throws Exception {
        Path f = Files.writeString(tmp.resolve("cameras.json"), FILE);
        List<CameraRegistration> cams = CameraRegistryFile.read(f, "admin-1", "initial", NOW);
        assertThat(admin.register(cams)).isEqualTo(2);
        assertThat(admin.register(CameraRegistryFile.read(f, "admin-1", "again", NOW)))
                .as("an unchanged camera is not stored or audited again")
                .isZero();
        assertThat(store.puts).isEqualTo(2);

        CameraRegistry registry = CameraRegistry.of(store.all().values());
        assertThat(registry.rule("cam-1").active()).isTrue();
        assertThat(registry.rule("cam-1").regions().count()).isEqualTo(1);
        assertThat(registry.rule("cam-2").active()).isFalse();
        assertThat(registry.rule("cam-3")).isNull();

        admin.resume("cam-2", "admin-2", "order extended");
        admin.suspend("cam-1", "admin-2", "authorization under review");
        assertThat(CameraRegistry.of(store.all().values()).activeCount()).isEqualTo(1);

        assertThat(audit)
                .extracting(AuditEvent::getType)
                .containsExactly(
                        AuditEventType.CAMERA_REGISTERED,
                        AuditEventType.CAMERA_REGISTERED,
                        AuditEventType.CAMERA_RESUMED,
                        AuditEventType.CAMERA_SUSPENDED);
        AuditEvent suspended = audit.get(3);
        assertThat(suspended.getActor()).isEqualTo("admin-2");
        assertThat(suspended.getCameraId()).isEqualTo("cam-1");
        assertThat(suspended.getReason()).isEqualTo("authorization under review");
        assertThat(suspended.getDetails())
                .containsEntry("authorizationRef", "ORDER-2026-17")
                .containsEntry("authorizedUntil", "2027-05-01T00:00:00Z")
                .containsEntry("status", "SUSPENDED");
        CameraRule rule = CameraRegistry.of(store.all().values()).rule("cam-2");
        assertThat(rule.authorizedAt(Instant.parse("2026-11-01T00:00:00Z").toEpochMilli()))
                .isTrue();
        assertThat(rule.authorizedAt(Instant.parse("2027-05-01T00:00:00Z").toEpochMilli()))
                .as("the end is exclusive")
                .isFalse();
    }

    @Test
    void anAuthorizationWindowIsRequiredAndMustEndAfterItStarts(@TempDir Path tmp)
            throws Exception {
        Path open =
                Files.writeString(
                        tmp.resolve("open.json"),
                        FILE.replace(", \"authorizedUntil\": \"2027-05-01T00:00:00Z\"", ""));
        assertThatThrownBy(() -> CameraRegistryFile.read(open, "a", "r", NOW))
                .hasMessageContaining("cam-1")
                .hasMessageContaining("authorizedUntil");
        Path backwards =
                Files.writeString(
                        tmp.resolve("backwards.json"),
                        FILE.replace(
                                "\"authorizedFrom\": \"2026-11-01\", \"authorizedUntil\":"
                                        + " \"2027-05-01T00:00:00Z\"",
                                "\"authorizedFrom\": \"2027-06-01\", \"authorizedUntil\":"
                                        + " \"2027-05-01T00:00:00Z\""));
        assertThatThrownBy(() -> CameraRegistryFile.read(backwards, "a", "r", NOW))
                .hasMessageContaining("must be after");
        Path notADate =
                Files.writeString(
                        tmp.resolve("date.json"),
                        FILE.replace(
                                "2026-11-01\", \"authorizedUntil\": \"2027-05-01T",
                                "soon\", \"authorizedUntil\": \"2027-05-01T"));
        assertThatThrownBy(() -> CameraRegistryFile.read(notADate, "a", "r", NOW))
                .hasMessageContaining("authorizedFrom")
                .hasMessageContaining("soon");
    }

    @Test
    void fileErrorsNameTheCameraAndTheField(@TempDir Path tmp) throws Exception {
        Path noRef =
                Files.writeString(
                        tmp.resolve("a.json"),
                        FILE.replace("\"authorizationRef\": \"ORDER-2026-17\",", ""));
        assertThatThrownBy(() -> CameraRegistryFile.read(noRef, "a", "r", NOW))
                .hasMessageContaining("cam-1")
                .hasMessageContaining("authorizationRef");
        Path badRoi =
                Files.writeString(tmp.resolve("b.json"), FILE.replace("[1.0, 0.2]", "[2.0, 0.2]"));
        assertThatThrownBy(() -> CameraRegistryFile.read(badRoi, "a", "r", NOW))
                .hasMessageContaining("cam-1")
                .hasMessageContaining("outside 0..1");
        assertThatThrownBy(() -> admin.suspend("cam-9", "a", "r"))
                .hasMessageContaining("not registered");
        admin.register(
                CameraRegistryFile.read(
                        Files.writeString(tmp.resolve("c.json"), FILE), "a", "r", NOW));
        assertThatThrownBy(() -> admin.suspend("cam-1", "a", " ")).hasMessageContaining("reason");
        assertThat(store.all().get("cam-1").getStatus()).isEqualTo(CameraRegistrationStatus.ACTIVE);
    }

    @Test
    void aCameraChangeThatCannotBeAuditedIsNotMade() {
        CameraAdmin failing =
                new CameraAdmin(
                        store,
                        e -> {
                            throw new IllegalStateException("audit topic unreachable");
                        },
                        Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> failing.register(List.of(TestCameras.active("cam-x", 1))))
                .hasMessageContaining("audit topic");
        assertThat(store.all()).doesNotContainKey("cam-x");
        admin.register(List.of(TestCameras.active("cam-x", 1)));
        assertThatThrownBy(() -> failing.suspend("cam-x", "admin-1", "warrant expired"))
                .hasMessageContaining("audit topic");
        assertThat(store.all().get("cam-x").getStatus()).isEqualTo(CameraRegistrationStatus.ACTIVE);
    }

    @Test
    void aPlaceholderAuthorizationCannotMakeACameraActive(@TempDir Path tmp) throws Exception {
        String placeholder = FILE.replace("ORDER-2026-17", "REPLACE-WITH-ORDER-REFERENCE");
        Path active = Files.writeString(tmp.resolve("active.json"), placeholder);
        assertThatThrownBy(() -> CameraRegistryFile.read(active, "admin-1", "import", NOW))
                .hasMessageContaining("placeholder");
        Path suspended =
                Files.writeString(
                        tmp.resolve("suspended.json"),
                        placeholder.replace(
                                "\"purposes\":", "\"status\": \"SUSPENDED\", \"purposes\":"));
        List<CameraRegistration> cams =
                CameraRegistryFile.read(suspended, "admin-1", "import", NOW);
        admin.register(cams);
        String id = cams.get(0).getCameraId();
        assertThatThrownBy(() -> admin.resume(id, "admin-1", "go live"))
                .hasMessageContaining("placeholder");
        assertThat(store.all().get(id).getStatus()).isEqualTo(CameraRegistrationStatus.SUSPENDED);
    }
}
