package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.CameraProducer;
import io.vigil.ingest.CameraSpec;
import io.vigil.ingest.FramePublisher;
import io.vigil.schemas.Frame;
import io.vigil.vision.model.AssetPaths;
import java.util.ArrayList;
import java.util.List;

/** Real frames of the sample videos, sampled by the real camera producer, for tests to publish. */
final class SampleFrames {
    private SampleFrames() {}

    /** The first {@code count} frames of a sample video at 2 fps, as {@code camera}. */
    static List<Frame> of(String camera, String media, int count) {
        CollectingPublisher out = new CollectingPublisher();
        new CameraProducer(
                        CameraSpec.of(camera, AssetPaths.media(media).toString(), 2)
                                .withRealtime(false)
                                .withMaxFrames(count),
                        out)
                .run();
        assertThat(out.frames).hasSize(count);
        return out.frames;
    }

    /** Collects a camera's frames so the test can publish them in its own order. */
    static final class CollectingPublisher implements FramePublisher {
        final List<Frame> frames = new ArrayList<>();

        @Override
        public void publish(Frame frame) {
            frames.add(frame);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
