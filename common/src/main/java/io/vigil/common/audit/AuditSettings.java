package io.vigil.common.audit;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Where the tools and the console write audit events. */
public final class AuditSettings extends AbstractConfig {
    public static final String AUDIT_SINK = "vigil.audit.sink";

    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            AUDIT_SINK,
                            Type.STRING,
                            "kafka",
                            ConfigDef.ValidString.in("kafka", "log"),
                            Importance.HIGH,
                            "Where the tools write audit events: kafka (the audit topic; a tool"
                                + " that cannot reach it does nothing) or log (the io.vigil.audit"
                                + " logger, for development without a broker; not append-only).");

    public AuditSettings(Map<?, ?> props) {
        super(CONFIG, props, false);
    }

    /** True when audit events go to the audit topic (the default). */
    public boolean toKafka() {
        return "kafka".equals(getString(AUDIT_SINK));
    }
}
