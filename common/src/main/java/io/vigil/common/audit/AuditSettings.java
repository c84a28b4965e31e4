package io.vigil.common.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Where the job, the console and the tools write audit events, and how they sign them. */
public final class AuditSettings extends AbstractConfig {
    public static final String AUDIT_SINK = "vigil.audit.sink";
    public static final String SIGNING_KEY_FILE = "vigil.audit.signing.key.file";
    public static final String CHECKPOINT_INTERVAL_MS = "vigil.audit.checkpoint.interval.ms";

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
                                + " logger, for development without a broker; not append-only).")
                    .define(
                            SIGNING_KEY_FILE,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "The Ed25519 private key (PKCS#8 PEM, from `vigil audit keygen` or"
                                    + " `openssl genpkey -algorithm ed25519`) that signs audit"
                                    + " checkpoints; mount it from a Secret. Required with"
                                    + " vigil.audit.sink=kafka: nothing is audited unsigned.")
                    .define(
                            CHECKPOINT_INTERVAL_MS,
                            Type.LONG,
                            60_000L,
                            ConfigDef.Range.between(1_000L, 3_600_000L),
                            Importance.MEDIUM,
                            "A writer signs a checkpoint of its chain at most this long after an"
                                    + " event (and when it stops). Verify reports events left"
                                    + " unsigned longer. The job signs at every Flink checkpoint.");

    public AuditSettings(Map<?, ?> props) {
        super(CONFIG, props, false);
    }

    /** True when audit events go to the audit topic (the default). */
    public boolean toKafka() {
        return "kafka".equals(getString(AUDIT_SINK));
    }

    /**
     * The signing key's file.
     *
     * @throws ConfigException naming the setting when it is not set
     */
    public Path signingKeyFile() {
        String f = getString(SIGNING_KEY_FILE);
        if (f.isBlank()) {
            throw new ConfigException(
                    SIGNING_KEY_FILE
                            + " is not set: audit events are hash-chained and signed, and nothing"
                            + " is audited unsigned. Make a key with `vigil audit keygen --out"
                            + " DIR` and mount it from a Secret.");
        }
        return Path.of(f);
    }

    /** Reads the signing key (I/O: call when opening, not when configuring). */
    public AuditKeys.Signer signer() {
        return AuditKeys.signer(signingKeyFile(), SIGNING_KEY_FILE);
    }

    public Duration checkpointInterval() {
        return Duration.ofMillis(getLong(CHECKPOINT_INTERVAL_MS));
    }
}
