package io.vigil.vision.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/** User manifests for tests: a built-in manifest with some top-level fields replaced. */
public final class TestManifests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestManifests() {}

    public static Path write(Path dir, String builtInId, Map<String, Object> changes)
            throws IOException {
        ObjectNode n;
        try (InputStream in =
                ModelCatalog.class.getResourceAsStream(
                        "/io/vigil/vision/model/manifests/" + builtInId + ".json")) {
            n = (ObjectNode) JSON.readTree(in);
        }
        changes.forEach((k, v) -> n.set(k, JSON.valueToTree(v)));
        Path f = dir.resolve(n.get("id").asText() + ".json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(f.toFile(), n);
        return f;
    }
}
