package io.vigil.local;

import io.vigil.schemas.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the alert topic as a read_committed consumer would, for the tests and benchmarks. */
public final class AlertsOnTopic {
    private AlertsOnTopic() {}

    /** Every alert record on the topic now (until it has been quiet for 3 s). */
    public static List<Alert> all(LocalStack stack) {
        try (AvroTopicReader<Alert> reader =
                new AvroTopicReader<>(
                        stack.bootstrapServers(),
                        stack.config().alertsTopic(),
                        Alert.getDecoder())) {
            return reader.drain(Duration.ofSeconds(3), Duration.ofSeconds(60)).stream()
                    .map(AvroTopicReader.Decoded::value)
                    .toList();
        }
    }

    /** Every alert record, once {@code closed} alerts have closed (or three minutes passed). */
    static List<Alert> untilClosed(LocalStack stack, int closed) {
        List<Alert> alerts = new ArrayList<>();
        try (AvroTopicReader<Alert> reader =
                new AvroTopicReader<>(
                        stack.bootstrapServers(),
                        stack.config().alertsTopic(),
                        Alert.getDecoder())) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (alerts.stream().filter(Alert::getClosed).count() < closed
                    && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(500), d -> alerts.add(d.value()));
            }
            reader.drain(Duration.ofSeconds(3), Duration.ofSeconds(20))
                    .forEach(d -> alerts.add(d.value()));
        }
        return alerts;
    }

    /** Records that repeat an (alert id, revision) already seen. */
    static long duplicates(List<Alert> alerts) {
        return alerts.size()
                - alerts.stream()
                        .map(a -> a.getAlertId() + "#" + a.getRevision())
                        .distinct()
                        .count();
    }
}
