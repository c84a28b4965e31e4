package io.vigil.job;

import io.vigil.common.audit.AuditEvents;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.DeadLetterReason;
import io.vigil.watchlist.camera.CameraRegistry;
import io.vigil.watchlist.camera.CameraRule;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Operator "decode-frames": checks each frame against the camera registry and decodes it; valid
 * frames go on, everything else to the dead-letter output.
 *
 * <p>The registry is the snapshot read when the job was built, overlaid with the registrations
 * broadcast from the registry topic (checkpointed as broadcast state); for each camera the newer
 * registration wins, so a suspension takes effect as soon as it is read. A camera's authorization
 * window is enforced frame by frame; the first frame refused for lying outside a window is also
 * audited ({@link #AUDIT}), once per camera and window in each subtask, with an event id derived
 * from the window so that repeats are recognisable.
 */
public final class FrameDecodeFunction
        extends BroadcastProcessFunction<RawRecord, CameraRegistration, DecodedFrame> {
    private static final long serialVersionUID = 1L;

    /** Accumulator names, read by the launcher and tests to know when every frame was handled. */
    public static final String FRAMES_DECODED = "frames-decoded";

    public static final String FRAMES_DEAD_LETTERED = "frames-dead-lettered";

    /** Registrations read from the registry topic while the job runs. */
    public static final MapStateDescriptor<String, CameraRegistration> REGISTRY =
            new MapStateDescriptor<>(
                    "camera-registry", Types.STRING, new AvroTypeInfo<>(CameraRegistration.class));

    /** Audit events of cameras whose frames arrive outside their authorization window. */
    public static final OutputTag<AuditEvent> AUDIT =
            new OutputTag<>("authorization-audit", new AvroTypeInfo<>(AuditEvent.class));

    private final FrameDecoder decoder;
    private final CameraRegistry initial;
    private transient LongCounter decodedCount;
    private transient LongCounter deadLetteredCount;
    private transient Map<String, Counter> framesByCamera;
    private transient Map<DeadLetterReason, Counter> deadLettersByReason;
    private transient Set<String> windowsAudited;

    public FrameDecodeFunction(FrameDecoder decoder, CameraRegistry initial) {
        this.decoder = decoder;
        this.initial = initial;
    }

    @Override
    public void open(OpenContext openContext) {
        decodedCount = getRuntimeContext().getLongCounter(FRAMES_DECODED);
        deadLetteredCount = getRuntimeContext().getLongCounter(FRAMES_DEAD_LETTERED);
        framesByCamera = new HashMap<>();
        windowsAudited = new HashSet<>();
        deadLettersByReason = new EnumMap<>(DeadLetterReason.class);
        MetricGroup dead = getRuntimeContext().getMetricGroup().addGroup(FRAMES_DEAD_LETTERED);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLettersByReason.put(r, dead.addGroup("reason", r.name()).counter("count"));
        }
    }

    @Override
    public void processElement(RawRecord r, ReadOnlyContext ctx, Collector<DecodedFrame> out)
            throws Exception {
        ReadOnlyBroadcastState<String, CameraRegistration> updates =
                ctx.getBroadcastState(REGISTRY);
        FrameDecoder.Result result =
                decoder.decode(
                        r,
                        cameraId -> {
                            try {
                                CameraRegistration update = updates.get(cameraId);
                                return CameraRule.newer(
                                        initial.rule(cameraId),
                                        update == null ? null : CameraRule.of(update));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        System.currentTimeMillis());
        if (result.frame() != null) {
            decodedCount.add(1L);
            // Only registered cameras get a series, so a flood of unknown ids cannot blow it up.
            framesByCamera
                    .computeIfAbsent(
                            result.frame().cameraId,
                            id ->
                                    getRuntimeContext()
                                            .getMetricGroup()
                                            .addGroup("camera", id)
                                            .counter(FRAMES_DECODED))
                    .inc();
            out.collect(result.frame());
        } else {
            deadLetteredCount.add(1L);
            deadLettersByReason.get(result.reason()).inc();
            DeadLetter dl =
                    DeadLetters.of(r, result.reason(), result.detail(), System.currentTimeMillis());
            ctx.output(DeadLetters.TAG, dl);
            if (result.reason() == DeadLetterReason.CAMERA_NOT_AUTHORIZED) {
                CameraRule c = result.camera();
                String eventId =
                        c.cameraId()
                                + ":outside-authorization:"
                                + c.authorizedFrom()
                                + "-"
                                + c.authorizedUntil();
                if (windowsAudited.add(eventId)) {
                    ctx.output(AUDIT, outsideAuthorization(c, eventId, result.detail()));
                }
            }
        }
    }

    static AuditEvent outsideAuthorization(CameraRule c, String eventId, String detail) {
        return AuditEvents.event(
                        AuditEventType.CAMERA_OUTSIDE_AUTHORIZATION,
                        AlertAuditEvents.ACTOR,
                        Instant.now())
                .setEventId(eventId)
                .setCameraId(c.cameraId())
                .setReason("frames outside the camera's authorization window are not processed")
                .setDetails(
                        AuditEvents.details(
                                "authorizedFrom", Instant.ofEpochMilli(c.authorizedFrom()),
                                "authorizedUntil", Instant.ofEpochMilli(c.authorizedUntil()),
                                "firstRefused", detail))
                .build();
    }

    @Override
    public void processBroadcastElement(
            CameraRegistration registration, Context ctx, Collector<DecodedFrame> out)
            throws Exception {
        BroadcastState<String, CameraRegistration> state = ctx.getBroadcastState(REGISTRY);
        CameraRegistration current = state.get(registration.getCameraId());
        if (current == null || !current.getUpdatedAt().isAfter(registration.getUpdatedAt())) {
            state.put(registration.getCameraId(), registration);
        }
    }
}
