package io.vigil.common.config;

import io.vigil.common.kafka.KafkaConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Loads settings for the sections an entry point needs: a properties file (optional), overlaid with
 * the environment ({@code VIGIL_MATCH_THRESHOLD} for {@code vigil.match.threshold}, for the keys of
 * the given sections, and {@code VIGIL_KAFKA_CLIENT_*}), overlaid with explicit overrides. Each
 * section's class then parses the same map and ignores the keys of the others.
 */
public final class Settings {
    private Settings() {}

    public static Map<String, Object> load(
            Path file,
            Map<String, String> env,
            Map<String, String> overrides,
            ConfigDef... sections) {
        Map<String, Object> props = new HashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new ConfigException(
                        "cannot read config file " + file + ": " + e.getMessage());
            }
            p.forEach((k, v) -> props.put(k.toString(), v));
        }
        for (ConfigDef section : sections) {
            for (String key : section.names()) {
                String name = envName(key);
                if (env.containsKey(name)) {
                    props.put(key, env.get(name));
                }
            }
        }
        props.putAll(KafkaConnection.fromEnvironment(env));
        props.putAll(overrides);
        return props;
    }

    /** The environment variable of a setting: upper case, dots and dashes as underscores. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
