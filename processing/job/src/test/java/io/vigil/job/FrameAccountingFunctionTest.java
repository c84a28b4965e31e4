package io.vigil.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.job.FrameAccountingFunction.Outcome;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The frame accounting through a failure: counts checkpointed, restored, and continued from there;
 * the checkpoint holds the counts and nothing else (a non-keyed operator holds no timers).
 */
class FrameAccountingFunctionTest {

    @Test
    void countsContinueFromTheCheckpointAfterARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<Outcome, Void> h = harness()) {
            h.open();
            for (Outcome o :
                    new Outcome[] {
                        Outcome.ANALYSED, Outcome.ANALYSED, Outcome.GATED, Outcome.DEAD_LETTERED
                    }) {
                h.processElement(o, 0);
            }
            snapshot = h.snapshot(1L, 1L);
            assertThat(snapshot.getManagedKeyedState()).isEmpty();
            assertThat(snapshot.getRawOperatorState()).isEmpty();
            assertThat(snapshot.getManagedOperatorState()).hasSize(1);
            // After the checkpoint, frames the failure makes the job replay.
            h.processElement(Outcome.ANALYSED, 0);
            h.processElement(Outcome.GATED, 0);
            assertThat(accumulated(h, FrameAccountingFunction.ANALYSED)).isEqualTo(3);
        }
        try (OneInputStreamOperatorTestHarness<Outcome, Void> h = harness()) {
            h.initializeState(snapshot);
            h.open();
            assertThat(accumulated(h, FrameAccountingFunction.ANALYSED)).isEqualTo(2);
            h.processElement(Outcome.ANALYSED, 0);
            h.processElement(Outcome.GATED, 0);
            // Each frame once: two before the checkpoint, the replayed one after it.
            assertThat(accumulated(h, FrameAccountingFunction.ANALYSED)).isEqualTo(3);
            assertThat(accumulated(h, FrameAccountingFunction.GATED)).isEqualTo(2);
            assertThat(accumulated(h, FrameAccountingFunction.DEAD_LETTERED)).isEqualTo(1);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    private static OneInputStreamOperatorTestHarness<Outcome, Void> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new FrameAccountingFunction()));
    }

    private static long accumulated(OneInputStreamOperatorTestHarness<Outcome, Void> h, String n) {
        FrameAccountingFunction f =
                (FrameAccountingFunction)
                        ((ProcessOperator<?, ?>) h.getOperator()).getUserFunction();
        return f.getRuntimeContext().getLongCounter(n).getLocalValue();
    }
}
