package io.vigil.ingest;

import io.vigil.schemas.CameraStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reports each camera's {@link CameraStatus} every interval and at once on every state change (a
 * camera dropping out is news, not something to find at the next tick). Closing it sends a last
 * report for every camera.
 */
public final class CameraStatusReporter implements AutoCloseable {
    private final List<CameraProducer> cameras;
    private final Consumer<CameraStatus> sink;
    private final LongSupplier droppedFrames;
    private final ScheduledExecutorService timer;

    public CameraStatusReporter(
            List<CameraProducer> cameras,
            Consumer<CameraStatus> sink,
            LongSupplier droppedFrames,
            Duration interval) {
        this.cameras = List.copyOf(cameras);
        this.sink = sink;
        this.droppedFrames = droppedFrames;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "camera-status");
                            t.setDaemon(true);
                            return t;
                        });
        for (CameraProducer c : this.cameras) {
            c.onStateChange(changed -> timer.execute(() -> report(changed)));
        }
        long ms = interval.toMillis();
        timer.scheduleAtFixedRate(this::reportAll, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void reportAll() {
        cameras.forEach(this::report);
    }

    private void report(CameraProducer camera) {
        sink.accept(camera.status(droppedFrames.getAsLong()));
    }

    @Override
    public void close() {
        timer.execute(this::reportAll);
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
