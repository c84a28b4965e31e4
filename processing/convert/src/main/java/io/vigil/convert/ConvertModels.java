package io.vigil.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The build step that converts the built-in models whose manifests name a conversion: {@code
 * ConvertModels MANIFESTS_DIR ASSETS_DIR}. Models already converted are left alone (their SHA-256
 * is checked by whoever loads them).
 */
public final class ConvertModels {
    private ConvertModels() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ConvertModels MANIFESTS_DIR ASSETS_DIR");
        }
        // The converters recurse over graph nodes; a large stack keeps deep graphs safe.
        Throwable[] failure = new Throwable[1];
        Thread t =
                new Thread(
                        null,
                        () -> {
                            try {
                                run(Path.of(args[0]), Path.of(args[1]));
                            } catch (IOException | RuntimeException e) {
                                failure[0] = e;
                            }
                        },
                        "convert-models",
                        64L << 20);
        t.start();
        t.join();
        if (failure[0] instanceof Exception e) {
            throw e;
        }
    }

    /** Converts what is missing; returns the number of models converted. */
    public static int run(Path manifests, Path assets) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> s = Files.list(manifests)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        int converted = 0;
        for (Path manifest : files) {
            JsonNode m = json.readTree(manifest.toFile());
            String conversion = m.path("source").path("conversion").asText("");
            if (!ModelConverter.CONVERSIONS.contains(conversion)) {
                continue;
            }
            Path target = assets.resolve(m.path("file").asText());
            if (Files.isRegularFile(target)) {
                continue;
            }
            long bytes =
                    ModelConverter.convertNextTo(
                            conversion,
                            m.path("source").path("package").asText(),
                            m.path("source").path("files").path(0).asText(),
                            activationRanges(m.path("source").path("activationRanges")),
                            target);
            System.out.printf("converted %s (%d bytes)%n", target, bytes);
            converted++;
        }
        return converted;
    }

    /** {@code {"tensor": [min, max], ...}}, as a manifest's {@code source.activationRanges}. */
    static Map<String, DlibResNetToOnnx.Range> activationRanges(JsonNode node) {
        Map<String, DlibResNetToOnnx.Range> out = new LinkedHashMap<>();
        node.fields()
                .forEachRemaining(
                        e -> {
                            JsonNode v = e.getValue();
                            if (!v.isArray() || v.size() != 2) {
                                throw new IllegalArgumentException(
                                        "source.activationRanges."
                                                + e.getKey()
                                                + " must be [min, max]");
                            }
                            out.put(
                                    e.getKey(),
                                    new DlibResNetToOnnx.Range(
                                            (float) v.get(0).asDouble(),
                                            (float) v.get(1).asDouble()));
                        });
        return out;
    }
}
