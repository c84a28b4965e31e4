package io.vigil.job;

import io.vigil.schemas.Alert;
import io.vigil.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.java.functions.KeySelector;

/** Kafka keys of the job's output topics. */
public final class RecordKeys {
    private RecordKeys() {}

    /** Alerts are keyed by camera, so one camera's alerts stay in order. */
    public static final class AlertByCamera implements KeySelector<Alert, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Alert a) {
            return a.getCameraId();
        }
    }

    /** Dead letters keep the original record's key. */
    public static final class DeadLetterByOriginalKey implements KeySelector<DeadLetter, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(DeadLetter d) {
            ByteBuffer k = d.getKey();
            return k == null ? null : StandardCharsets.UTF_8.decode(k.duplicate()).toString();
        }
    }
}
