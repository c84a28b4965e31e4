package io.vigil.tools;

import io.vigil.common.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where a tool's settings come from: {@code --config FILE}, then {@code VIGIL_*} environment
 * variables, then {@code --set key=value}. Each command loads only the sections it needs.
 */
final class SettingsOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description = "Properties file (the same keys as the job's).")
    Path configFile;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            scope = ScopeType.INHERIT,
            description = "A setting, overriding the file and the environment.")
    Map<String, String> overrides = new LinkedHashMap<>();

    Map<String, Object> load(ConfigDef... sections) {
        return Settings.load(configFile, System.getenv(), overrides, sections);
    }
}
