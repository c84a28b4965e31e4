package io.vigil.job.track;

import io.vigil.schemas.Alert;
import io.vigil.schemas.FaceObservation;
import io.vigil.schemas.state.CameraTracks;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Operator "track-consensus", keyed by camera: runs {@link TrackConsensus} on the camera's state.
 * Event-time timers end idle tracks and close quiet alerts; when a camera has neither, its state is
 * cleared, so nothing outlives the people it was about. A camera that stops sending frames stops
 * its own event time, so a processing-time timer closes everything once it has been silent for
 * {@link TrackingSettings#silentCameraMs()} of wall-clock time. The state is Avro, so its schema
 * can evolve across savepoints.
 */
public final class TrackConsensusFunction
        extends KeyedProcessFunction<String, FaceObservation, Alert> {
    private static final long serialVersionUID = 1L;

    public static final String ALERTS_RAISED = "alerts-raised";
    public static final String ALERT_UPDATES = "alert-updates";
    public static final String MATCHING_FACES = "matching-faces";

    private final TrackingSettings settings;
    private transient TrackConsensus consensus;
    private transient ValueState<CameraTracks> state;
    private transient ValueState<Long> lastArrival;
    private transient ValueState<Long> idleTimer;
    private transient long openedAt;
    private transient LongCounter raised;
    private transient LongCounter updates;
    private transient LongCounter matching;

    public TrackConsensusFunction(TrackingSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        consensus = new TrackConsensus(settings);
        openedAt = Long.MIN_VALUE; // set by the first callback, in the timer service's clock
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "camera-tracks", new AvroTypeInfo<>(CameraTracks.class)));
        lastArrival =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("last-arrival", Types.LONG));
        idleTimer =
                getRuntimeContext().getState(new ValueStateDescriptor<>("idle-timer", Types.LONG));
        raised = counter(ALERTS_RAISED);
        updates = counter(ALERT_UPDATES);
        matching = counter(MATCHING_FACES);
    }

    /** An accumulator (job result, tests, demo) that is also reported as a metric. */
    private LongCounter counter(String name) {
        LongCounter c = getRuntimeContext().getLongCounter(name);
        getRuntimeContext().getMetricGroup().gauge(name, c::getLocalValue);
        return c;
    }

    @Override
    public void processElement(FaceObservation face, Context ctx, Collector<Alert> out)
            throws Exception {
        CameraTracks tracks = state.value();
        if (tracks == null) {
            if (face.getHit() == null) {
                return; // no track on this camera to extend: nothing to keep
            }
            tracks = TrackConsensus.emptyState();
        }
        if (face.getHit() != null) {
            matching.add(1L);
        }
        long now = ctx.timerService().currentProcessingTime();
        markStarted(now);
        emit(consensus.observe(tracks, face, now), out);
        lastArrival.update(now);
        if (idleTimer.value() == null) {
            armIdleTimer(ctx.timerService(), now + settings.silentCameraMs());
        }
        save(tracks, ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        CameraTracks tracks = state.value();
        if (tracks == null) {
            return;
        }
        TimerService timers = ctx.timerService();
        long now = timers.currentProcessingTime();
        markStarted(now);
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            idleTimer.clear();
            // After a restart the backlog needs time to arrive: silence counts from then at most.
            long quietSince = Math.max(lastArrival.value(), openedAt);
            if (now - quietSince < settings.silentCameraMs()) {
                armIdleTimer(timers, quietSince + settings.silentCameraMs());
                return;
            }
            // No face from this camera for vigil.alert.silent.camera.ms of wall-clock time: its
            // event time will not move, so end its tracks and close its alerts now.
            emit(consensus.advance(tracks, Long.MAX_VALUE, now), out);
        } else {
            emit(consensus.advance(tracks, timers.currentWatermark(), now), out);
        }
        save(tracks, timers);
    }

    private void markStarted(long now) {
        if (openedAt == Long.MIN_VALUE) {
            openedAt = now;
        }
    }

    private void armIdleTimer(TimerService timers, long at) throws Exception {
        timers.registerProcessingTimeTimer(at);
        idleTimer.update(at);
    }

    private void save(CameraTracks tracks, TimerService timers) throws Exception {
        if (TrackConsensus.isEmpty(tracks)) {
            state.clear();
            lastArrival.clear();
            Long idle = idleTimer.value();
            if (idle != null) {
                timers.deleteProcessingTimeTimer(idle);
                idleTimer.clear();
            }
            return;
        }
        state.update(tracks);
        // Earlier timers that are now stale fire, find nothing due and re-arm this one.
        timers.registerEventTimeTimer(consensus.nextDeadline(tracks));
    }

    private void emit(Iterable<Alert> alerts, Collector<Alert> out) {
        for (Alert a : alerts) {
            if (a.getRevision() == 0) {
                raised.add(1L);
            } else {
                updates.add(1L);
            }
            out.collect(a);
        }
    }
}
