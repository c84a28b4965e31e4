package io.vigil.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.common.audit.AuditChain;
import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditKeys;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.audit.AuditVerifier;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's audit chain: events are linked, the head is signed before each checkpoint barrier and
 * at the end of input, the output verifies, and a restored subtask starts a chain of its own.
 */
class AuditChainOperatorTest {

    private static AuditEvent alert(int i) {
        return AuditEvents.event(AuditEventType.ALERT_RAISED, "system:job", Instant.now())
                .setAlertId("alert-" + i)
                .build();
    }

    @Test
    void signsBeforeEachBarrierAndTheOutputVerifies(@TempDir Path dir) throws Exception {
        Path key = AuditKeys.write(AuditKeys.generate(), dir);
        AuditSettings settings =
                new AuditSettings(Map.of(AuditSettings.SIGNING_KEY_FILE, key.toString()));
        List<AuditChain.Written> out = new ArrayList<>();
        String firstWriter;
        try (OneInputStreamOperatorTestHarness<AuditEvent, AuditChain.Written> h =
                new OneInputStreamOperatorTestHarness<>(new AuditChainOperator(settings))) {
            h.open();
            h.processElement(new StreamRecord<>(alert(0), 1L));
            h.processElement(new StreamRecord<>(alert(1), 2L));
            h.prepareSnapshotPreBarrier(1L);
            // No state: a restored subtask starts a new chain rather than continue this one.
            OperatorSubtaskState snap = h.snapshot(1L, 3L);
            assertThat(snap.getManagedOperatorState()).isEmpty();
            assertThat(snap.getManagedKeyedState()).isEmpty();
            assertThat(h.extractOutputValues()).hasSize(3);
            h.prepareSnapshotPreBarrier(2L);
            assertThat(h.extractOutputValues()).as("nothing new to sign").hasSize(3);
            h.processElement(new StreamRecord<>(alert(2), 4L));
            h.endInput();
            out.addAll(h.extractOutputValues());
            firstWriter = writer(out.get(0));
        }
        assertThat(out).hasSize(5);
        assertThat(type(out.get(2))).isEqualTo(AuditEventType.AUDIT_CHECKPOINT);
        assertThat(type(out.get(4))).isEqualTo(AuditEventType.AUDIT_CHECKPOINT);
        assertThat(out.get(0).key()).isEqualTo("alert-0");

        try (OneInputStreamOperatorTestHarness<AuditEvent, AuditChain.Written> h =
                new OneInputStreamOperatorTestHarness<>(new AuditChainOperator(settings))) {
            h.open();
            h.processElement(new StreamRecord<>(alert(3), 5L));
            h.prepareSnapshotPreBarrier(3L);
            List<AuditChain.Written> restored = h.extractOutputValues();
            assertThat(writer(restored.get(0))).isNotEqualTo(firstWriter).startsWith("job-0/");
            out.addAll(restored);
        }

        AuditVerifier v =
                new AuditVerifier(
                        List.of(AuditKeys.publicKey(AuditKeys.publicKeyBeside(key))),
                        Duration.ZERO,
                        true,
                        List.of());
        for (int i = 0; i < out.size(); i++) {
            v.accept(0, i, out.get(i).timestamp(), out.get(i).value());
        }
        AuditVerifier.Result r = v.finish(Instant.now().plusSeconds(3600));
        assertThat(r.findings()).isEmpty();
        assertThat(r.writers()).isEqualTo(2);
        assertThat(r.checkpoints()).isEqualTo(3);
    }

    private static AuditEvent decode(AuditChain.Written w) throws Exception {
        return AuditEvent.getDecoder().decode(ByteBuffer.wrap(w.value()));
    }

    private static AuditEventType type(AuditChain.Written w) throws Exception {
        return decode(w).getType();
    }

    private static String writer(AuditChain.Written w) throws Exception {
        return decode(w).getChain().getWriter();
    }
}
