package io.vigil.console;

import io.vigil.schemas.Alert;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.SupportingFace;
import io.vigil.watchlist.gallery.InvestigationSearch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rendering: what the API answers, as maps of plain values written as JSON. */
final class ConsoleJson {
    private final AlertBoard alerts;
    private final CameraBoard cameras;
    private final Duration reviewSla;

    ConsoleJson(AlertBoard alerts, CameraBoard cameras, Duration reviewSla) {
        this.alerts = alerts;
        this.cameras = cameras;
        this.reviewSla = reviewSla;
    }

    static Map<String, Object> me(Sessions.Session s) {
        return Map.of("user", s.user(), "role", s.role().name());
    }

    Map<String, Object> alert(AlertBoard.Entry e) {
        Alert a = e.alert();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alertId", a.getAlertId());
        m.put("revision", a.getRevision());
        m.put("closed", a.getClosed());
        m.put("cameraId", a.getCameraId());
        m.put("cameraName", cameras.name(a.getCameraId()));
        m.put("externalId", a.getExternalId());
        m.put("cameraLocation", cameras.location(a.getCameraId()));
        m.put("legalBasis", a.getLegalBasis());
        m.put("entryExpiresAt", a.getEntryExpiresAt().toString());
        m.put("firstSeen", a.getFirstSeen().toString());
        m.put("lastSeen", a.getLastSeen().toString());
        m.put("supportingFrames", a.getSupportingFrames());
        m.put("similarity", a.getSimilarity());
        m.put("bestSimilarity", a.getBestSimilarity());
        m.put("threshold", a.getThreshold());
        m.put("modelId", a.getModelId());
        m.put("hasCrop", a.getFaceCrop() != null);
        m.put("matchedFaceId", a.getMatchedFaceId());
        List<Map<String, Object>> supporting = new ArrayList<>();
        for (SupportingFace f : a.getSupporting()) {
            supporting.add(
                    Map.of(
                            "similarity", f.getSimilarity(),
                            "quality", f.getQuality(),
                            "captureTimestamp", f.getCaptureTimestamp().toString(),
                            "matchedFaceId", f.getMatchedFaceId()));
        }
        m.put("supporting", supporting);
        m.put("status", e.status().name());
        m.put("confirmationsRequired", alerts.policy().confirmationsRequired());
        Instant now = Instant.now();
        m.put(
                "waitingMinutes",
                e.waiting() ? Math.max(0, Duration.between(a.getFirstSeen(), now).toMinutes()) : 0);
        m.put("overSla", e.overSla(reviewSla, now));
        m.put("slaMinutes", reviewSla.toMinutes());
        List<Map<String, Object>> ds = new ArrayList<>();
        for (ReviewDecision d : e.decisions()) {
            ds.add(
                    Map.of(
                            "reviewer", d.getReviewer(),
                            "decision", d.getDecision().name(),
                            "category", d.getCategory().name(),
                            "reason", d.getReason(),
                            "decidedAt", d.getDecidedAt().toString()));
        }
        m.put("decisions", ds);
        alerts.policy()
                .settlement(e.decisions())
                .ifPresent(
                        st -> {
                            m.put("settledBy", st.settledBy());
                            m.put("settledAt", st.settledAt().toString());
                            m.put("adjudicated", st.adjudicated());
                        });
        return m;
    }

    static Map<String, Object> search(InvestigationSearch.Result r) {
        List<Map<String, Object>> cs = new ArrayList<>();
        for (InvestigationSearch.Candidate c : r.candidates()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", c.rank());
            m.put("similarity", c.similarity());
            m.put("entryId", c.entryId());
            m.put("faceId", c.faceId());
            m.put("bookingId", c.booking().bookingId());
            m.put("bookingDate", c.booking().bookingDate().toString());
            m.put("agency", c.booking().agency());
            m.put("sourceSystem", c.booking().sourceSystem());
            cs.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("searchId", r.searchId());
        m.put("banner", r.banner());
        m.put("case", r.caseNumber());
        m.put("facesInProbe", r.facesInProbe());
        m.put("faceIndex", r.faceIndex());
        m.put("floor", r.floor());
        m.put("candidates", cs);
        return m;
    }

    static Map<String, Object> stats(ReviewStats.Report r, List<FalseAlertWatch.Row> falseAlerts) {
        List<Map<String, Object>> reviewers = new ArrayList<>();
        for (ReviewStats.Reviewer v : r.reviewers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reviewer", v.name());
            m.put("decisions", v.decisions());
            m.put("confirms", v.confirms());
            m.put("rejects", v.rejects());
            m.put("couldNotDecide", v.abstentions());
            m.put("onSettledAlerts", v.onSettled());
            m.put("agreedWithOutcome", v.agreed());
            m.put("agreement", v.agreement().orElse(null));
            m.put("medianSecondsToDecide", v.medianTimeToDecide().toMillis() / 1000.0);
            reviewers.add(m);
        }
        List<Map<String, Object>> watch = new ArrayList<>();
        for (FalseAlertWatch.Row w : falseAlerts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cameraId", w.cameraId());
            m.put("since", w.since() == null ? null : w.since().toString());
            m.put("cameraHours", w.cameraHours());
            m.put("rejected", w.rejected());
            m.put("observedPerCameraHour", w.observedPerCameraHour());
            m.put("expectedPerCameraHour", w.expectedPerCameraHour());
            m.put("expectedUpper95", w.expectedUpper95());
            m.put("diverges", w.diverges());
            watch.add(m);
        }
        return Map.of(
                "reviewers",
                reviewers,
                "cameras",
                outcomes(r.cameras()),
                "entries",
                outcomes(r.entries()),
                "falseAlertsPerCameraHour",
                watch);
    }

    private static List<Map<String, Object>> outcomes(List<ReviewStats.Outcomes> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReviewStats.Outcomes o : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", o.key());
            m.put("raised", o.raised());
            m.put("confirmed", o.confirmed());
            m.put("rejected", o.rejected());
            m.put("waiting", o.waiting());
            m.put("observedFalseAlertRate", o.observedFalseAlertRate().orElse(null));
            out.add(m);
        }
        return out;
    }

    Map<String, Object> camera(CameraBoard.Entry c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cameraId", c.cameraId());
        CameraRegistration r = c.registration();
        m.put("registered", r != null);
        if (r != null) {
            m.put("name", r.getName());
            m.put("location", r.getLocation());
            m.put("owner", r.getOwner());
            m.put("authorizationRef", r.getAuthorizationRef());
            m.put("purposes", r.getPurposes());
            m.put("authorizedFrom", r.getAuthorizedFrom().toString());
            m.put("authorizedUntil", r.getAuthorizedUntil().toString());
            m.put("authorization", cameras.authorization(r).name());
            m.put("registration", r.getStatus().name());
            m.put("regionsOfInterest", r.getRegionsOfInterest().size());
        }
        if (c.status() != null) {
            m.put("state", c.status().getState().name());
            m.put("framesPerSecond", c.status().getFramesPerSecond());
            m.put("framesPublished", c.status().getFramesPublished());
            m.put("framesDropped", c.status().getFramesDropped());
            m.put("reconnects", c.status().getReconnects());
            m.put("lastError", c.status().getLastError());
            m.put("reportedAt", c.status().getReportedAt().toString());
        }
        return m;
    }
}
