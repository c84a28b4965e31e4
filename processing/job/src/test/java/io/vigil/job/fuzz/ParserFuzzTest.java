package io.vigil.job.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.job.FrameDecoder;
import io.vigil.job.RawRecord;
import io.vigil.schemas.Frame;
import io.vigil.schemas.ImageCodec;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.model.ModelManifest;
import io.vigil.watchlist.WatchlistJson;
import io.vigil.watchlist.camera.CameraRegistryFile;
import io.vigil.watchlist.camera.CameraRule;
import io.vigil.watchlist.camera.TestCameras;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Every parser that takes bytes from outside, fuzzed with Jazzer: coverage-guided with {@code
 * JAZZER_FUZZ=1} (docs/testing.md); in a normal build each target replays its regression corpus
 * under {@code src/test/resources/io/vigil/job/fuzz/ParserFuzzTestInputs}. The contract: bad input
 * is an error its caller handles (a dead letter, a 400), never an uncaught exception.
 */
class ParserFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FrameDecoder DECODER = new FrameDecoder(1_000_000, 1920 * 1080);

    /** Records on the frames topic: raw bytes, or a valid Frame carrying fuzzed image bytes. */
    @FuzzTest(maxDuration = "30s")
    void frames(FuzzedDataProvider data) {
        byte[] value;
        if (data.consumeBoolean()) {
            Frame f =
                    Frame.newBuilder()
                            .setCameraId("cam-1")
                            .setSequence(1)
                            .setCaptureTimestamp(Instant.ofEpochMilli(1000))
                            .setIngestTimestamp(Instant.ofEpochMilli(1001))
                            .setWidth(data.consumeInt(0, 5000))
                            .setHeight(data.consumeInt(0, 5000))
                            .setCodec(ImageCodec.JPEG)
                            .setMotionPreview(
                                    data.consumeBoolean()
                                            ? ByteBuffer.wrap(
                                                    data.consumeBytes(data.consumeInt(0, 40_000)))
                                            : null)
                            .setImage(ByteBuffer.wrap(data.consumeRemainingAsBytes()))
                            .build();
            try {
                ByteBuffer b = Frame.getEncoder().encode(f);
                value = new byte[b.remaining()];
                b.get(value);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        } else {
            value = data.consumeRemainingAsBytes();
        }
        FrameDecoder.Result r =
                DECODER.decode(
                        new RawRecord("vigil.frames", 0, 0, 1000, "cam-1".getBytes(), value),
                        id -> CameraRule.of(TestCameras.active(id, 0)),
                        System.currentTimeMillis());
        assertThat(r.frame() != null || r.reason() != null).isTrue();
    }

    /** The camera registry file an administrator imports. */
    @FuzzTest(maxDuration = "30s")
    void cameraRegistry(byte[] json) {
        try {
            CameraRegistryFile.parse(json, "fuzz.json", "admin", "fuzz", Instant.EPOCH);
        } catch (IllegalArgumentException | IOException expected) {
            // a clear error naming the file
        }
    }

    /** A model manifest a deployment points a setting at. */
    @FuzzTest(maxDuration = "30s")
    void modelManifest(byte[] json) {
        try {
            ModelManifest.parse(new ByteArrayInputStream(json), "fuzz.json");
        } catch (IllegalArgumentException | IOException expected) {
            // a clear error naming the manifest and the field
        }
    }

    /** The console's enrolment body (JSON with base64 photos). */
    @FuzzTest(maxDuration = "30s")
    void enrolmentBody(byte[] json) {
        JsonNode body;
        try {
            body = JSON.readTree(json);
        } catch (IOException expected) {
            return; // the console answers 400
        }
        if (body == null) {
            return;
        }
        try {
            WatchlistJson.enrollment(body, "admin", QualityFilter.MEDIUM);
        } catch (IllegalArgumentException expected) {
            // the console answers 400 with the message
        }
    }
}
