package io.vigil.console;

import io.vigil.schemas.CameraRegistration;
import io.vigil.watchlist.camera.CameraAdmin;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Cameras: the registry with each camera's stream health; admins suspend and resume. */
final class CameraHandler implements ApiHandler {
    private final CameraBoard cameras;
    private final Function<String, CameraAdmin> cameraAdmin;
    private final ConsoleJson json;
    private final Access access;

    CameraHandler(
            CameraBoard cameras,
            Function<String, CameraAdmin> cameraAdmin,
            ConsoleJson json,
            Access access) {
        this.cameras = cameras;
        this.cameraAdmin = cameraAdmin;
        this.json = json;
        this.access = access;
    }

    @Override
    public int handle(ApiCall c) throws IOException {
        switch (c.method()) {
            case "GET" -> {
                access.require(c, Role.ANALYST);
                List<Map<String, Object>> out = new ArrayList<>();
                cameras.list().forEach(e -> out.add(json.camera(e)));
                return Http.sendJson(c.ex(), 200, out);
            }
            case "POST" -> {
                access.require(c, Role.ADMIN);
                if (c.seg().size() != 3) {
                    throw ApiHandler.noSuchEndpoint();
                }
                String reason = Http.readJson(c.ex()).path("reason").asText("");
                CameraAdmin admin = cameraAdmin.apply(c.user());
                String camera = c.seg().get(1);
                CameraRegistration r =
                        switch (c.seg().get(2)) {
                            case "suspend" -> admin.suspend(camera, c.user(), reason);
                            case "resume" -> admin.resume(camera, c.user(), reason);
                            default -> throw ApiHandler.noSuchEndpoint();
                        };
                cameras.onRegistration(r);
                return Http.sendJson(
                        c.ex(),
                        200,
                        Map.of("cameraId", r.getCameraId(), "status", r.getStatus().name()));
            }
            default -> throw ApiHandler.noSuchEndpoint();
        }
    }
}
