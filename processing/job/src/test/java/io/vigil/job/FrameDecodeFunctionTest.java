package io.vigil.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraRegistrationStatus;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.DeadLetterReason;
import io.vigil.schemas.Frame;
import io.vigil.schemas.ImageCodec;
import io.vigil.schemas.MotionPreview;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.camera.CameraRegistry;
import io.vigil.watchlist.camera.CameraRule;
import io.vigil.watchlist.camera.TestCameras;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The decode operator under Flink's test harness, on a real JPEG from the sample media. */
class FrameDecodeFunctionTest {

    static byte[] frameBytes(String camera, byte[] image, int w, int h) throws Exception {
        Frame f =
                Frame.newBuilder()
                        .setCameraId(camera)
                        .setSequence(1)
                        .setCaptureTimestamp(Instant.ofEpochMilli(1000))
                        .setIngestTimestamp(Instant.ofEpochMilli(1001))
                        .setWidth(w)
                        .setHeight(h)
                        .setCodec(ImageCodec.JPEG)
                        .setImage(ByteBuffer.wrap(image))
                        .build();
        ByteBuffer b = Frame.getEncoder().encode(f);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static RawRecord raw(long offset, String key, byte[] value) {
        return new RawRecord(
                "vigil.frames", 0, offset, 1000, key.getBytes(StandardCharsets.UTF_8), value);
    }

    static FrameDecodeFunction function(CameraRegistry initial) {
        return new FrameDecodeFunction(new FrameDecoder(100_000, 1920 * 1080), initial);
    }

    @Test
    void validFramesPassAndEveryKindOfBadInputIsDeadLetteredWithItsReason() throws Exception {
        byte[] jpeg = Files.readAllBytes(AssetPaths.media("franck_02159.jpg"));
        FrameDecodeFunction fn =
                function(CameraRegistry.of(List.of(TestCameras.active("cam-1", 1))));
        try (BroadcastOperatorTestHarness<RawRecord, CameraRegistration, DecodedFrame> h =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        fn, FrameDecodeFunction.REGISTRY)) {
            h.processElement(raw(0, "cam-1", frameBytes("cam-1", jpeg, 360, 288)), 1000);
            h.processElement(raw(1, "cam-9", frameBytes("cam-9", jpeg, 360, 288)), 1000);
            h.processElement(
                    raw(2, "cam-1", frameBytes("cam-1", new byte[] {1, 2, 3}, 360, 288)), 1000);
            h.processElement(raw(3, "cam-1", "plain text".getBytes(StandardCharsets.UTF_8)), 1000);
            h.processElement(raw(4, "cam-1", new byte[0]), 1000);
            h.processElement(raw(5, "cam-1", new byte[100_001]), 1000);
            h.processElement(raw(6, "cam-1", frameBytes("cam-1", jpeg, 20000, 20000)), 1000);

            List<DecodedFrame> ok = h.extractOutputValues();
            assertThat(ok).hasSize(1);
            assertThat(ok.get(0).width).isEqualTo(720); // the decoded size, not the declared one
            assertThat(ok.get(0).rgb).hasSize(720 * 576 * 3);
            assertThat(ok.get(0).captureTimestamp).isEqualTo(1000);

            List<DeadLetter> dead =
                    h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
            assertThat(dead)
                    .extracting(DeadLetter::getReason)
                    .containsExactly(
                            DeadLetterReason.UNKNOWN_CAMERA,
                            DeadLetterReason.CORRUPT_IMAGE,
                            DeadLetterReason.SCHEMA_MISMATCH,
                            DeadLetterReason.EMPTY,
                            DeadLetterReason.OVERSIZE,
                            DeadLetterReason.OVERSIZE);
            assertThat(dead)
                    .extracting(DeadLetter::getSourceOffset)
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(dead.get(0).getDetail()).contains("cam-9").contains("camera registry");
            assertThat(dead.get(5).getDetail()).contains("vigil.frame.max.pixels");
            // Non-keyed: no timers, no keyed state; no registry update was broadcast.
            OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
            assertThat(snapshot.getManagedKeyedState()).isEmpty();
        }
    }

    static byte[] frameBytes(String camera, byte[] image, int w, int h, byte[] preview)
            throws Exception {
        Frame f =
                Frame.newBuilder(Frame.getDecoder().decode(frameBytes(camera, image, w, h)))
                        .setMotionPreview(ByteBuffer.wrap(preview))
                        .build();
        ByteBuffer b = Frame.getEncoder().encode(f);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void aFrameWithAMotionPreviewIsCheckedButLeftEncodedUntilItsPixelsAreNeeded() throws Exception {
        byte[] jpeg = Files.readAllBytes(AssetPaths.media("franck_02159.jpg"));
        byte[] preview = new byte[MotionPreview.length(720, 576)];
        FrameDecodeFunction fn =
                function(CameraRegistry.of(List.of(TestCameras.active("cam-1", 1))));
        try (BroadcastOperatorTestHarness<RawRecord, CameraRegistration, DecodedFrame> h =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        fn, FrameDecodeFunction.REGISTRY)) {
            h.processElement(raw(0, "cam-1", frameBytes("cam-1", jpeg, 720, 576, preview)), 1000);
            // A preview of another size, a body that is not an image, a header over the limit.
            h.processElement(
                    raw(1, "cam-1", frameBytes("cam-1", jpeg, 720, 576, new byte[45 * 36])), 1000);
            h.processElement(
                    raw(2, "cam-1", frameBytes("cam-1", new byte[] {1, 2, 3}, 720, 576, preview)),
                    1000);
            byte[] huge = jpeg.clone();
            // The start-of-frame marker's height and width (big-endian) at its offsets + 5 and + 7.
            int sof = startOfFrame(huge);
            huge[sof + 5] = huge[sof + 7] = (byte) 0x4E;
            h.processElement(raw(3, "cam-1", frameBytes("cam-1", huge, 720, 576, preview)), 1000);

            List<DecodedFrame> ok = h.extractOutputValues();
            assertThat(ok).hasSize(1);
            DecodedFrame f = ok.get(0);
            assertThat(f.rgb).isNull();
            assertThat(f.encoded).isEqualTo(jpeg);
            assertThat(f.preview).isEqualTo(preview);
            assertThat(f.width).isEqualTo(720);
            assertThat(f.height).isEqualTo(576);
            assertThat(f.source.offset).isZero();
            List<DeadLetter> dead =
                    h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
            assertThat(dead)
                    .extracting(DeadLetter::getReason)
                    .containsExactly(
                            DeadLetterReason.CORRUPT_IMAGE,
                            DeadLetterReason.CORRUPT_IMAGE,
                            DeadLetterReason.OVERSIZE);
            assertThat(dead.get(0).getDetail())
                    .contains("motion preview is 1620 bytes; a 720x576 image's has 6480");
        }
    }

    private static int startOfFrame(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            int m = jpeg[i + 1] & 0xFF;
            if ((jpeg[i] & 0xFF) == 0xFF && m >= 0xC0 && m <= 0xC2) {
                return i;
            }
        }
        throw new IllegalStateException("no start-of-frame marker");
    }

    @Test
    void registryUpdatesSuspendResumeAndRegisterCamerasWhileRunning() throws Exception {
        byte[] jpeg = Files.readAllBytes(AssetPaths.media("franck_02159.jpg"));
        var roi = List.of(TestCameras.polygon(0, 0.5f, 1, 0.5f, 1, 1, 0, 1));
        FrameDecodeFunction fn =
                function(
                        CameraRegistry.of(
                                List.of(
                                        TestCameras.camera(
                                                "cam-1",
                                                CameraRegistrationStatus.ACTIVE,
                                                100,
                                                roi))));
        try (BroadcastOperatorTestHarness<RawRecord, CameraRegistration, DecodedFrame> h =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        fn, FrameDecodeFunction.REGISTRY)) {
            h.processElement(raw(0, "cam-1", frameBytes("cam-1", jpeg, 360, 288)), 1000);
            // An update older than the snapshot changes nothing.
            h.processBroadcastElement(
                    TestCameras.camera("cam-1", CameraRegistrationStatus.SUSPENDED, 50, roi), 1);
            h.processElement(raw(1, "cam-1", frameBytes("cam-1", jpeg, 360, 288)), 1000);
            h.processBroadcastElement(
                    TestCameras.camera("cam-1", CameraRegistrationStatus.SUSPENDED, 200, roi), 2);
            h.processElement(raw(2, "cam-1", frameBytes("cam-1", jpeg, 360, 288)), 1000);
            h.processElement(raw(3, "cam-2", frameBytes("cam-2", jpeg, 360, 288)), 1000);
            h.processBroadcastElement(TestCameras.active("cam-2", 300), 3);
            h.processBroadcastElement(
                    TestCameras.camera("cam-1", CameraRegistrationStatus.ACTIVE, 400, roi), 4);
            h.processElement(raw(4, "cam-2", frameBytes("cam-2", jpeg, 360, 288)), 1000);
            h.processElement(raw(5, "cam-1", frameBytes("cam-1", jpeg, 360, 288)), 1000);

            List<DecodedFrame> ok = h.extractOutputValues();
            assertThat(ok)
                    .extracting(f -> f.cameraId)
                    .containsExactly("cam-1", "cam-1", "cam-2", "cam-1");
            assertThat(ok.get(0).regions).hasDimensions(1, 8);
            assertThat(ok.get(2).regions).as("cam-2 has no regions: whole frame").isNull();
            List<DeadLetter> dead =
                    h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
            assertThat(dead)
                    .extracting(DeadLetter::getReason, DeadLetter::getSourceOffset)
                    .containsExactly(
                            tuple(DeadLetterReason.CAMERA_SUSPENDED, 2L),
                            tuple(DeadLetterReason.UNKNOWN_CAMERA, 3L));
            assertThat(h.getBroadcastState(FrameDecodeFunction.REGISTRY).get("cam-2")).isNotNull();
        }
    }

    @Test
    void originalBytesOverTheDeadLetterLimitAreNotCopiedButLocated() {
        RawRecord big = raw(9, "cam-1", new byte[DeadLetters.MAX_ORIGINAL_BYTES + 1]);
        DeadLetter dl = DeadLetters.of(big, DeadLetterReason.OVERSIZE, "too big", 5);
        assertThat(dl.getOriginalValue()).isNull();
        assertThat(dl.getDetail()).contains("not copied");
        assertThat(dl.getSourceOffset()).isEqualTo(9);
    }

    @Test
    void everyCopiedFieldIsCappedSoAHostileRecordStillMakesAWritableDeadLetter() throws Exception {
        // A 1.5 MB key, a value at the frames topic's limit, a detail quoting a huge camera id.
        byte[] key = new byte[1_500_000];
        java.util.Arrays.fill(key, (byte) 'k');
        RawRecord r = new RawRecord("vigil.frames", 0, 11, 1000, key, new byte[8 * 1024 * 1024]);
        String detail = "camera '" + "x".repeat(3_000_000) + "' is not in the camera registry";
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            DeadLetter dl = DeadLetters.of(r, reason, detail, 5);
            assertThat(dl.getKey().remaining()).isEqualTo(DeadLetters.MAX_KEY_BYTES);
            assertThat(dl.getDetail().length()).isLessThan(DeadLetters.MAX_DETAIL_CHARS + 200);
            assertThat(dl.getDetail()).contains("key of 1500000 bytes cut");
            assertThat(dl.getOriginalValue()).isNull();
            assertThat(DeadLetter.getEncoder().encode(dl).remaining())
                    .isLessThan(DeadLetters.MAX_RECORD_BYTES);
        }
    }

    @Test
    void onlyACorruptImageOfAnAuthorizedCameraKeepsItsOriginalBytes() {
        RawRecord r = raw(4, "cam-1", new byte[] {1, 2, 3});
        assertThat(DeadLetters.of(r, DeadLetterReason.CORRUPT_IMAGE, "bad", 5).getOriginalValue())
                .isNotNull();
        for (DeadLetterReason reason :
                List.of(
                        DeadLetterReason.SCHEMA_MISMATCH,
                        DeadLetterReason.OVERSIZE,
                        DeadLetterReason.UNKNOWN_CAMERA,
                        DeadLetterReason.CAMERA_SUSPENDED)) {
            DeadLetter dl = DeadLetters.of(r, reason, "x", 5);
            assertThat(dl.getOriginalValue()).as("%s", reason).isNull();
            assertThat(dl.getDetail()).as("%s", reason).contains("not copied");
        }
    }

    @Test
    void aFrameWhoseJpegDeclaresAHugeSizeIsOversizeWithoutBeingDecoded() throws Exception {
        Frame f =
                Frame.newBuilder()
                        .setCameraId("cam-1")
                        .setSequence(1)
                        .setCaptureTimestamp(Instant.ofEpochMilli(1000))
                        .setIngestTimestamp(Instant.ofEpochMilli(1001))
                        .setWidth(640)
                        .setHeight(480)
                        .setCodec(ImageCodec.JPEG)
                        .setImage(
                                ByteBuffer.wrap(
                                        io.vigil.vision.face.ImageDecodingTest.bomb(
                                                25_000, 25_000)))
                        .build();
        ByteBuffer b = Frame.getEncoder().encode(f);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        FrameDecoder.Result r =
                new FrameDecoder(100_000, 1920 * 1080)
                        .decode(
                                raw(1, "cam-1", bytes),
                                id ->
                                        io.vigil.watchlist.camera.CameraRule.of(
                                                TestCameras.active(id, 0)),
                                System.currentTimeMillis());
        assertThat(r.reason()).isEqualTo(DeadLetterReason.OVERSIZE);
        assertThat(r.detail()).contains("25000x25000").contains("640x480");
    }

    @Test
    void aFrameIsProcessedOnlyWhenCapturedAndProcessedInsideTheAuthorizationWindow()
            throws Exception {
        byte[] jpeg = Files.readAllBytes(AssetPaths.media("franck_02159.jpg"));
        // frameBytes captures at t=1000; the window is [500, 2000).
        CameraRule rule = CameraRule.of(TestCameras.authorized("cam-1", 1, 500, 2000));
        FrameDecoder decoder = new FrameDecoder(100_000, 1920 * 1080);
        RawRecord r = raw(0, "cam-1", frameBytes("cam-1", jpeg, 360, 288));
        assertThat(decoder.decode(r, id -> rule, 1500).frame()).isNotNull();
        // Processed after the window (a replay): refused, although captured inside it.
        FrameDecoder.Result late = decoder.decode(r, id -> rule, 2000);
        assertThat(late.reason()).isEqualTo(DeadLetterReason.CAMERA_NOT_AUTHORIZED);
        assertThat(late.detail()).contains("authorized from").contains("until");
        // Processed inside the window, but the capture time lies before it (forged or stale).
        CameraRule later = CameraRule.of(TestCameras.authorized("cam-1", 1, 1001, 5000));
        assertThat(decoder.decode(r, id -> later, 1500).reason())
                .isEqualTo(DeadLetterReason.CAMERA_NOT_AUTHORIZED);
    }

    @Test
    void aLapsedAuthorizationDeadLettersWithoutImagesAuditsOnceAndARenewalResumes()
            throws Exception {
        byte[] jpeg = Files.readAllBytes(AssetPaths.media("franck_02159.jpg"));
        long now = System.currentTimeMillis();
        FrameDecodeFunction fn =
                function(
                        CameraRegistry.of(
                                List.of(TestCameras.authorized("cam-1", 100, 0, now - 1_000))));
        try (BroadcastOperatorTestHarness<RawRecord, CameraRegistration, DecodedFrame> h =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        fn, FrameDecodeFunction.REGISTRY)) {
            h.processElement(raw(0, "cam-1", frameBytes("cam-1", jpeg, 360, 288)), 1000);
            h.processElement(raw(1, "cam-1", frameBytes("cam-1", jpeg, 360, 288)), 1000);
            assertThat(h.extractOutputValues()).isEmpty();
            List<DeadLetter> dead =
                    h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
            assertThat(dead)
                    .extracting(DeadLetter::getReason)
                    .containsOnly(DeadLetterReason.CAMERA_NOT_AUTHORIZED);
            assertThat(dead).allSatisfy(d -> assertThat(d.getOriginalValue()).isNull());
            List<AuditEvent> audits =
                    h.getSideOutput(FrameDecodeFunction.AUDIT).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(audits)
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.getType())
                                        .isEqualTo(AuditEventType.CAMERA_OUTSIDE_AUTHORIZATION);
                                assertThat(e.getCameraId()).isEqualTo("cam-1");
                                assertThat(e.getDetails()).containsKey("authorizedUntil");
                            });
            // The authorization is renewed: frames are processed again.
            h.processBroadcastElement(TestCameras.authorized("cam-1", 200, 0, now + 60_000), 2);
            h.processElement(raw(2, "cam-1", frameBytes("cam-1", jpeg, 360, 288)), 1000);
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }
}
