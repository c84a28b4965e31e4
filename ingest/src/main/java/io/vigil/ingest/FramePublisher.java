package io.vigil.ingest;

import io.vigil.schemas.Frame;

/** Where sampled frames go: Kafka in production ({@link KafkaFramePublisher}). */
public interface FramePublisher extends AutoCloseable {
    void publish(Frame frame);

    void flush();

    @Override
    void close();
}
