package io.vigil.convert;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The build step that converts the built-in models whose manifests name a conversion: {@code
 * ConvertModels MANIFESTS_DIR ASSETS_DIR}. Models already converted and matching their pin are left
 * alone.
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

    /**
     * Converts what is missing or stale (a cache written by another version of the converter);
     * returns the number of models converted. A conversion that does not give its pinned bytes
     * fails the build here, naming the model and both hashes, before any test runs.
     */
    public static int run(Path manifests, Path assets) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> s = Files.list(manifests)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        int converted = 0;
        for (Path manifest : files) {
            Optional<ModelConverter.Spec> spec =
                    ModelConverter.Spec.of(json.readTree(manifest.toFile()), manifest.toString());
            if (spec.isEmpty()) {
                continue;
            }
            Path target = assets.resolve(spec.get().file());
            ModelConverter.Outcome o = ModelConverter.ensure(spec.get(), target, false);
            if (o.converted()) {
                System.out.printf(
                        "converted %s (%d bytes)%s%n",
                        target,
                        o.bytes(),
                        o.found() == ModelConverter.State.STALE
                                ? ", replacing a file that did not match its pin"
                                : "");
                converted++;
            }
        }
        return converted;
    }
}
