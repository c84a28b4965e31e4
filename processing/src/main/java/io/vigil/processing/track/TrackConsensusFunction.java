package io.vigil.processing.track;

import io.vigil.schemas.Alert;
import io.vigil.schemas.FaceObservation;
import io.vigil.schemas.state.CameraTracks;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Operator "track-consensus", keyed by camera: runs {@link TrackConsensus} on the camera's state.
 * Event-time timers end idle tracks and close quiet alerts; when a camera has neither, its state is
 * cleared, so nothing outlives the people it was about. The state is Avro, so its schema can evolve
 * across savepoints.
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
    private transient LongCounter raised;
    private transient LongCounter updates;
    private transient LongCounter matching;

    public TrackConsensusFunction(TrackingSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        consensus = new TrackConsensus(settings);
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "camera-tracks", new AvroTypeInfo<>(CameraTracks.class)));
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
        emit(consensus.observe(tracks, face, ctx.timerService().currentProcessingTime()), out);
        save(tracks, ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        CameraTracks tracks = state.value();
        if (tracks == null) {
            return;
        }
        emit(
                consensus.advance(
                        tracks,
                        ctx.timerService().currentWatermark(),
                        ctx.timerService().currentProcessingTime()),
                out);
        save(tracks, ctx.timerService());
    }

    private void save(CameraTracks tracks, org.apache.flink.streaming.api.TimerService timers)
            throws Exception {
        if (TrackConsensus.isEmpty(tracks)) {
            state.clear();
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
