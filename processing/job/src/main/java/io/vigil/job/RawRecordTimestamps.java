package io.vigil.job;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** Event time is the Kafka record timestamp, which the camera producer sets to capture time. */
public final class RawRecordTimestamps implements SerializableTimestampAssigner<RawRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(RawRecord r, long recordTimestamp) {
        return r.timestamp;
    }
}
