package io.vigil.job;

import io.vigil.common.audit.AuditEvents;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Operator "audit-alerts": an ALERT_RAISED event for each new alert and an ALERT_CLOSED event when
 * it closes. Event ids derive from the alert id, so a replay after a restart repeats the same ids.
 */
public final class AlertAuditEvents implements FlatMapFunction<Alert, AuditEvent> {
    private static final long serialVersionUID = 1L;

    public static final String ACTOR = "system:vigil-job";

    @Override
    public void flatMap(Alert a, Collector<AuditEvent> out) {
        if (a.getRevision() == 0) {
            out.collect(event(a, AuditEventType.ALERT_RAISED, "raised"));
        }
        if (a.getClosed()) {
            out.collect(event(a, AuditEventType.ALERT_CLOSED, "closed"));
        }
    }

    private static AuditEvent event(Alert a, AuditEventType type, String suffix) {
        return AuditEvents.event(type, ACTOR, a.getAlertTimestamp())
                .setEventId(a.getAlertId() + ":" + suffix)
                .setCameraId(a.getCameraId())
                .setWatchlistEntryId(a.getWatchlistEntryId())
                .setExternalId(a.getExternalId())
                .setAlertId(a.getAlertId())
                .setReason(a.getLegalBasis())
                .setDetails(
                        AuditEvents.details(
                                "revision", a.getRevision(),
                                "similarity", a.getSimilarity(),
                                "bestSimilarity", a.getBestSimilarity(),
                                "threshold", a.getThreshold(),
                                "supportingFrames", a.getSupportingFrames(),
                                "firstSeen", a.getFirstSeen(),
                                "lastSeen", a.getLastSeen(),
                                "modelId", a.getModelId()))
                .build();
    }
}
