package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Frame;
import io.vigil.schemas.ImageCodec;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Memory stays bounded while Kafka is unreachable: nothing listens on the bootstrap port, so the
 * sender thread waits on metadata and frames pile up in front of it.
 */
class KafkaFramePublisherTest {
    static Frame frame(long seq) {
        return Frame.newBuilder()
                .setCameraId("cam-1")
                .setSequence(seq)
                .setCaptureTimestamp(Instant.ofEpochMilli(1_700_000_000_000L + seq))
                .setIngestTimestamp(Instant.ofEpochMilli(1_700_000_000_000L + seq))
                .setWidth(2)
                .setHeight(2)
                .setCodec(ImageCodec.JPEG)
                .setImage(ByteBuffer.wrap(new byte[1000]))
                .build();
    }

    static String deadBroker() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    static Properties shortWait() {
        Properties p = new Properties();
        p.put("max.block.ms", "300"); // so the test's close() does not wait five minutes
        return p;
    }

    @Test
    void dropOldestNeverBlocksTheCameraAndCountsWhatItDrops() throws Exception {
        try (KafkaFramePublisher pub =
                new KafkaFramePublisher(
                        deadBroker(),
                        "frames",
                        shortWait(),
                        KafkaFramePublisher.Overflow.DROP_OLDEST,
                        4)) {
            for (int i = 0; i < 50; i++) {
                pub.publish(frame(i)); // returns at once even though Kafka is down
            }
            assertThat(pub.queued()).isLessThanOrEqualTo(4);
            // At most the queue and the one frame the sender holds survive.
            assertThat(pub.dropped()).isGreaterThanOrEqualTo(45);
            pub.flush();
            assertThat(pub.delivered()).isZero();
            assertThat(pub.dropped() + pub.failures()).isEqualTo(50);
        }
    }

    @Test
    void blockMakesTheCameraWaitInsteadOfDropping() throws Exception {
        KafkaFramePublisher pub =
                new KafkaFramePublisher(
                        deadBroker(), "frames", shortWait(), KafkaFramePublisher.Overflow.BLOCK, 2);
        Thread camera =
                new Thread(
                        () -> {
                            for (int i = 0; i < 8; i++) {
                                pub.publish(frame(i));
                            }
                        });
        camera.start();
        // The sender holds one frame for up to max.block.ms and two wait in the queue: the camera
        // is parked on the full queue.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (camera.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(camera.getState()).isEqualTo(Thread.State.WAITING);
        camera.join(); // Kafka stays down: each frame fails after max.block.ms, the queue moves
        pub.close();
        assertThat(pub.dropped()).isZero();
        assertThat(pub.failures()).isEqualTo(8);
    }
}
