package io.vigil.job;

import io.vigil.common.audit.AuditChain;
import io.vigil.common.audit.AuditKeys;
import io.vigil.common.audit.AuditSettings;
import io.vigil.schemas.AuditEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Links the job's audit events into a hash chain per subtask (a thin operator around {@link
 * AuditChain}) and signs the head before every checkpoint barrier, so each committed Kafka
 * transaction of the audit sink ends with a signed checkpoint. A restored or rescaled subtask
 * starts a new chain: the old one ended with the last committed checkpoint. The signing key is read
 * from its file (a mounted Secret) on the task manager, so it is never part of the job graph.
 */
public final class AuditChainOperator extends AbstractStreamOperator<AuditChain.Written>
        implements OneInputStreamOperator<AuditEvent, AuditChain.Written>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final String keyFile;
    private final long intervalMs;
    private transient AuditChain chain;
    private transient Clock clock;

    public AuditChainOperator(AuditSettings audit) {
        this.keyFile = audit.signingKeyFile().toString();
        this.intervalMs = audit.checkpointInterval().toMillis();
    }

    @Override
    public void open() throws Exception {
        super.open();
        clock = Clock.systemUTC();
        chain =
                new AuditChain(
                        "job-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        "system:" + WatchlistMatchingJob.JOB_NAME,
                        AuditKeys.signer(Path.of(keyFile), AuditSettings.SIGNING_KEY_FILE),
                        Duration.ofMillis(intervalMs));
    }

    @Override
    public void processElement(StreamRecord<AuditEvent> element) {
        emit(chain.append(element.getValue()));
        if (chain.sealDue(clock.instant())) {
            seal();
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        seal();
    }

    @Override
    public void endInput() {
        seal();
    }

    private void seal() {
        chain.seal(clock.instant()).ifPresent(this::emit);
    }

    private void emit(AuditChain.Written w) {
        output.collect(new StreamRecord<>(w, w.timestamp()));
    }
}
