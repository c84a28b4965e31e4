package io.vigil.processing.job;

import io.vigil.schemas.DeadLetter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Operator "decode-frames": valid frames go on, everything else to the dead-letter output. */
public final class FrameDecodeFunction extends ProcessFunction<RawRecord, DecodedFrame> {
    private static final long serialVersionUID = 1L;

    private final FrameDecoder decoder;

    public FrameDecodeFunction(FrameDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void processElement(RawRecord r, Context ctx, Collector<DecodedFrame> out) {
        FrameDecoder.Result result = decoder.decode(r);
        if (result.frame() != null) {
            out.collect(result.frame());
        } else {
            DeadLetter dl = DeadLetters.of(r, result.reason(), result.detail(), System.currentTimeMillis());
            ctx.output(DeadLetters.TAG, dl);
        }
    }
}
