package io.vigil.processing.job;

import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import org.apache.flink.util.OutputTag;

/** The dead-letter side output shared by the job's operators, and how its records are made. */
public final class DeadLetters {
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letter") {};

    /**
     * Original bytes larger than this are not copied into the dead letter (the record would exceed
     * the broker's message size); the detail says so and the source offset still locates them.
     */
    public static final int MAX_ORIGINAL_BYTES = 512 * 1024;

    private DeadLetters() {}

    /**
     * A dead letter of a record. Frames of unregistered or suspended cameras are never copied: no
     * authorization covers keeping their images, so only the source offset locates them until the
     * frames topic's short retention removes them.
     */
    public static DeadLetter of(RawRecord r, DeadLetterReason reason, String detail, long now) {
        boolean unauthorized =
                reason == DeadLetterReason.UNKNOWN_CAMERA
                        || reason == DeadLetterReason.CAMERA_SUSPENDED;
        boolean keep = !unauthorized && (r.value == null || r.value.length <= MAX_ORIGINAL_BYTES);
        String fullDetail;
        if (unauthorized) {
            fullDetail = detail + " (frame not copied: the camera is not authorized)";
        } else if (keep) {
            fullDetail = detail;
        } else {
            fullDetail =
                    detail
                            + " (original "
                            + r.value.length
                            + " bytes not copied; see source offset)";
        }
        return DeadLetter.newBuilder()
                .setSourceTopic(r.topic)
                .setSourcePartition(r.partition)
                .setSourceOffset(r.offset)
                .setKey(r.key == null ? null : ByteBuffer.wrap(r.key))
                .setReason(reason)
                .setDetail(fullDetail)
                .setFailedTimestamp(java.time.Instant.ofEpochMilli(now))
                .setOriginalValue(keep && r.value != null ? ByteBuffer.wrap(r.value) : null)
                .build();
    }
}
