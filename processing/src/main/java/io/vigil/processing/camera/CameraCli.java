package io.vigil.processing.camera;

import io.vigil.processing.audit.AuditLog;
import io.vigil.processing.config.CliArgs;
import io.vigil.processing.config.PipelineConfig;
import io.vigil.schemas.CameraRegistration;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;

/** {@code vigil cameras}: the camera registry on its topic; every change is audited. */
public final class CameraCli {
    static final String USAGE =
            """
            usage: vigil cameras [--config FILE] [--set key=value]... COMMAND
              import FILE --by ACTOR --reason TEXT   register or update the cameras of a JSON file
              list                                   registered cameras and their status
              suspend CAMERA --by ACTOR --reason TEXT   stop processing a camera's frames
              resume CAMERA --by ACTOR --reason TEXT
            The running job applies changes from the registry topic (vigil.topic.cameras).\
            """;

    private CameraCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        int usage = CliArgs.usageExit(argv, USAGE, out);
        if (usage >= 0) {
            return usage;
        }
        try {
            CliArgs a = CliArgs.parse(argv);
            PipelineConfig config = PipelineConfig.load(a.configFile, System.getenv(), a.settings);
            try (KafkaCameraStore store =
                            new KafkaCameraStore(config.kafka(), config.camerasTopic());
                    AuditLog.Closeable audit = AuditLog.open(config)) {
                return execute(a, new CameraAdmin(store, audit, Clock.systemUTC()), out);
            }
        } catch (IllegalArgumentException | IllegalStateException | ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: " + e);
            return 2;
        }
    }

    static int execute(CliArgs a, CameraAdmin admin, PrintStream out) throws IOException {
        switch (a.command) {
            case "import" -> {
                List<CameraRegistration> cams =
                        CameraRegistryFile.read(
                                Path.of(a.positional(0, "FILE")),
                                a.required("by"),
                                a.required("reason"),
                                Clock.systemUTC().instant());
                int stored = admin.register(cams);
                out.printf(
                        "%d cameras in the file, %d registered or changed%n", cams.size(), stored);
                return 0;
            }
            case "list" -> {
                for (CameraRegistration c : admin.list()) {
                    out.printf(
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
            case "suspend", "resume" -> {
                String id = a.positional(0, "CAMERA");
                CameraRegistration c =
                        a.command.equals("suspend")
                                ? admin.suspend(id, a.required("by"), a.required("reason"))
                                : admin.resume(id, a.required("by"), a.required("reason"));
                out.printf("%s is %s%n", c.getCameraId(), c.getStatus());
                return 0;
            }
            default -> throw new IllegalArgumentException("unknown command " + a.command);
        }
    }
}
