package io.vigil.job;

import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.flink.util.OutputTag;

/**
 * The dead-letter side output shared by the job's operators, and how its records are made. Every
 * field copied from the bad record is capped, so a dead letter always fits the dead-letter
 * producer's request size whatever a sender put on the frames topic: a dead letter that cannot be
 * written would fail the sink, restart the job from its checkpoint onto the same record, forever.
 */
public final class DeadLetters {
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letter") {};

    /**
     * Original bytes larger than this are not copied into the dead letter (the record would exceed
     * the broker's message size); the detail says so and the source offset still locates them.
     */
    public static final int MAX_ORIGINAL_BYTES = 512 * 1024;

    /** Longest key kept (camera ids are short; a longer key is a hostile or broken sender). */
    public static final int MAX_KEY_BYTES = 1024;

    /** Longest detail kept, in characters (it quotes the camera id and parser messages). */
    public static final int MAX_DETAIL_CHARS = 2048;

    /** The largest dead letter these caps allow, with room for the topic name and framing. */
    public static final int MAX_RECORD_BYTES =
            MAX_ORIGINAL_BYTES + MAX_KEY_BYTES + 4 * MAX_DETAIL_CHARS + 64 * 1024;

    private DeadLetters() {}

    /**
     * A dead letter of a record. The original value is copied only for a corrupt image of a
     * registered, active, authorized camera: frames of unregistered, suspended or out-of-window
     * cameras have no authorization that covers keeping them, and a record that is not a Frame of
     * the current schema or is oversized may still hold any camera's frame; the source offset
     * locates them until the frames topic's short retention removes them.
     */
    public static DeadLetter of(RawRecord r, DeadLetterReason reason, String detail, long now) {
        boolean copyable =
                reason == DeadLetterReason.CORRUPT_IMAGE || reason == DeadLetterReason.EMPTY;
        boolean fits = r.value == null || r.value.length <= MAX_ORIGINAL_BYTES;
        boolean keep = copyable && fits;
        StringBuilder full = new StringBuilder(cap(detail));
        if (reason == DeadLetterReason.UNKNOWN_CAMERA
                || reason == DeadLetterReason.CAMERA_SUSPENDED
                || reason == DeadLetterReason.CAMERA_NOT_AUTHORIZED) {
            full.append(" (frame not copied: the camera is not authorized)");
        } else if (!copyable && r.value != null && r.value.length > 0) {
            full.append(" (original not copied: it may hold a camera frame; see source offset)");
        } else if (!fits) {
            full.append(" (original ")
                    .append(r.value.length)
                    .append(" bytes not copied; see source offset)");
        }
        byte[] key = r.key;
        if (key != null && key.length > MAX_KEY_BYTES) {
            full.append(" (key of ")
                    .append(key.length)
                    .append(" bytes cut to ")
                    .append(MAX_KEY_BYTES)
                    .append(')');
            key = Arrays.copyOf(key, MAX_KEY_BYTES);
        }
        return DeadLetter.newBuilder()
                .setSourceTopic(r.topic)
                .setSourcePartition(r.partition)
                .setSourceOffset(r.offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setReason(reason)
                .setDetail(full.toString())
                .setFailedTimestamp(java.time.Instant.ofEpochMilli(now))
                .setOriginalValue(keep && r.value != null ? ByteBuffer.wrap(r.value) : null)
                .build();
    }

    /** A detail cut to {@link #MAX_DETAIL_CHARS}, saying how long it was. */
    static String cap(String detail) {
        if (detail == null) {
            return "";
        }
        if (detail.length() <= MAX_DETAIL_CHARS) {
            return detail;
        }
        return detail.substring(0, MAX_DETAIL_CHARS)
                + "... ("
                + detail.length()
                + " characters, cut)";
    }
}
