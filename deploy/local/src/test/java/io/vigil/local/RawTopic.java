package io.vigil.local;

import io.vigil.common.kafka.TopicReplay;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Every committed record of a topic as bytes, and byte searches over them, for scans in tests. */
final class RawTopic {
    private RawTopic() {}

    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        TopicReplay.fromBeginning(
                io.vigil.common.kafka.KafkaConnection.plaintext(bootstrapServers), topic, out::add);
        return out;
    }

    /** A JPEG start of image: FF D8 FF. */
    static boolean containsJpeg(byte[] value) {
        for (int i = 0; i + 2 < value.length; i++) {
            if (value[i] == (byte) 0xFF
                    && value[i + 1] == (byte) 0xD8
                    && value[i + 2] == (byte) 0xFF) {
                return true;
            }
        }
        return false;
    }

    static boolean contains(byte[] value, String text) {
        return contains(value, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code value} holds the bytes {@code t} anywhere (a null value holds nothing). */
    static boolean contains(byte[] value, byte[] t) {
        if (value == null) {
            return false;
        }
        outer:
        for (int i = 0; i + t.length <= value.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (value[i + j] != t[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
