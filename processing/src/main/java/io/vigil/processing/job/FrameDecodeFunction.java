package io.vigil.processing.job;

import io.vigil.schemas.DeadLetter;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Operator "decode-frames": valid frames go on, everything else to the dead-letter output. */
public final class FrameDecodeFunction extends ProcessFunction<RawRecord, DecodedFrame> {
    private static final long serialVersionUID = 1L;

    /** Accumulator names, read by the launcher and tests to know when every frame was handled. */
    public static final String FRAMES_DECODED = "frames-decoded";

    public static final String FRAMES_DEAD_LETTERED = "frames-dead-lettered";

    private final FrameDecoder decoder;
    private transient LongCounter decodedCount;
    private transient LongCounter deadLetteredCount;

    public FrameDecodeFunction(FrameDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void open(OpenContext openContext) {
        decodedCount = getRuntimeContext().getLongCounter(FRAMES_DECODED);
        deadLetteredCount = getRuntimeContext().getLongCounter(FRAMES_DEAD_LETTERED);
    }

    @Override
    public void processElement(RawRecord r, Context ctx, Collector<DecodedFrame> out) {
        FrameDecoder.Result result = decoder.decode(r);
        if (result.frame() != null) {
            decodedCount.add(1L);
            out.collect(result.frame());
        } else {
            deadLetteredCount.add(1L);
            DeadLetter dl =
                    DeadLetters.of(r, result.reason(), result.detail(), System.currentTimeMillis());
            ctx.output(DeadLetters.TAG, dl);
        }
    }
}
