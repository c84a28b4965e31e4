package io.vigil.job;

import java.util.Arrays;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Counts what became of every frame that reached the detector, exactly once through failures: the
 * counts are checkpointed (three numbers per subtask, nothing of any frame or face), so after a
 * restore they continue from the checkpoint while the frames after it are replayed and counted
 * again once. The job's accumulators {@link #ANALYSED}, {@link #GATED} and {@link #DEAD_LETTERED}
 * (and the metrics of the same names) start each execution from the restored counts: their sum over
 * subtasks is the number of frames the job has accounted for, which a test compares with the frames
 * on the topic. {@code detect-embed} itself keeps nothing in its checkpoint.
 */
public final class FrameAccountingFunction
        extends ProcessFunction<FrameAccountingFunction.Outcome, Void>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** What became of one frame at the detector. */
    public enum Outcome {
        /** Decoded and searched for faces. */
        ANALYSED,
        /** Nothing moved and no whole-frame pass was due: accounted for, never decoded. */
        GATED,
        /** Its image failed to decode there: dead-lettered with its record. */
        DEAD_LETTERED
    }

    /** The side output of {@code detect-embed}: one outcome per frame. */
    public static final OutputTag<Outcome> TAG = new OutputTag<>("frame-outcome") {};

    public static final String ANALYSED = "frames-accounted-analysed";
    public static final String GATED = "frames-accounted-gated";
    public static final String DEAD_LETTERED = "frames-accounted-dead-lettered";

    private transient long[] counts;
    private transient ListState<long[]> state;
    private transient LongCounter[] accumulators;

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "frame-outcome-counts",
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        counts = new long[Outcome.values().length];
        if (context.isRestored()) {
            // Rescaled, a subtask may get several subtasks' counts, or none: they add up.
            for (long[] c : state.get()) {
                for (int i = 0; i < Math.min(c.length, counts.length); i++) {
                    counts[i] += c[i];
                }
            }
        }
    }

    @Override
    public void open(OpenContext openContext) {
        String[] names = {ANALYSED, GATED, DEAD_LETTERED};
        accumulators = new LongCounter[names.length];
        for (int i = 0; i < names.length; i++) {
            accumulators[i] = getRuntimeContext().getLongCounter(names[i]);
            accumulators[i].add(counts[i]);
            int o = i;
            getRuntimeContext().getMetricGroup().gauge(names[i], () -> counts[o]);
        }
    }

    @Override
    public void processElement(Outcome outcome, Context ctx, Collector<Void> out) {
        counts[outcome.ordinal()]++;
        accumulators[outcome.ordinal()].add(1L);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        state.update(java.util.List.of(Arrays.copyOf(counts, counts.length)));
    }
}
