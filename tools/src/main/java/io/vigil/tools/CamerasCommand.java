package io.vigil.tools;

import io.vigil.common.audit.AuditLog;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topic;
import io.vigil.schemas.CameraRegistration;
import io.vigil.watchlist.camera.CameraAdmin;
import io.vigil.watchlist.camera.CameraRegistryFile;
import io.vigil.watchlist.camera.KafkaCameraStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil cameras}: the camera registry on its topic; every change is audited. */
@Command(
        name = "cameras",
        mixinStandardHelpOptions = true,
        description = {
            "The camera registry. The running job applies changes from the registry topic"
                    + " (vigil.topic.cameras)."
        })
final class CamerasCommand {
    @Mixin SettingsOptions settings;

    @Spec CommandSpec spec;

    /** Who and why, required for every change. */
    static final class Change {
        @Option(names = "--by", required = true, paramLabel = "ACTOR", description = "Who.")
        String actor;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why.")
        String reason;
    }

    @Command(name = "import", description = "Register or update the cameras of a JSON file.")
    int importFile(@Parameters(paramLabel = "FILE") Path file, @Mixin Change change)
            throws IOException {
        List<CameraRegistration> cams =
                CameraRegistryFile.read(
                        file, change.actor, change.reason, Clock.systemUTC().instant());
        int stored = withAdmin(admin -> admin.register(cams));
        out().printf("%d cameras in the file, %d registered or changed%n", cams.size(), stored);
        return 0;
    }

    @Command(description = "Registered cameras and their status.")
    int list() {
        for (CameraRegistration c : withAdmin(CameraAdmin::list)) {
            out().printf(
                            "%-20s %-9s %-30s auth=%s purposes=%s regions=%d updated %s by %s%n",
                            c.getCameraId(),
                            c.getStatus(),
                            c.getName(),
                            c.getAuthorizationRef(),
                            String.join(",", c.getPurposes()),
                            c.getRegionsOfInterest().size(),
                            c.getUpdatedAt(),
                            c.getUpdatedBy());
        }
        return 0;
    }

    @Command(description = "Stop processing a camera's frames.")
    int suspend(@Parameters(paramLabel = "CAMERA") String id, @Mixin Change change) {
        CameraRegistration c = withAdmin(a -> a.suspend(id, change.actor, change.reason));
        out().printf("%s is %s%n", c.getCameraId(), c.getStatus());
        return 0;
    }

    @Command(description = "Resume processing a suspended camera.")
    int resume(@Parameters(paramLabel = "CAMERA") String id, @Mixin Change change) {
        CameraRegistration c = withAdmin(a -> a.resume(id, change.actor, change.reason));
        out().printf("%s is %s%n", c.getCameraId(), c.getStatus());
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private interface AdminCall<T> {
        T apply(CameraAdmin admin) throws IOException;
    }

    /** Kafka and audit settings only: no models, no index. */
    private <T> T withAdmin(AdminCall<T> call) {
        Map<String, Object> props = settings.load(KafkaSettings.CONFIG, AuditSettings.CONFIG);
        KafkaSettings kafka = new KafkaSettings(props);
        try (KafkaCameraStore store =
                        new KafkaCameraStore(kafka.kafka(), kafka.topic(Topic.CAMERAS));
                AuditLog.Closeable audit = AuditLog.open(new AuditSettings(props), kafka)) {
            return call.apply(new CameraAdmin(store, audit, Clock.systemUTC()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
