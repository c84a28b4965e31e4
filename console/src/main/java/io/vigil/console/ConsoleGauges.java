package io.vigil.console;

import io.vigil.schemas.ReviewStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/** The console's gauges: the review queue, reviewers and cameras as the alert board sees them. */
final class ConsoleGauges {
    private ConsoleGauges() {}

    static void register(
            ConsoleMetrics metrics, AlertBoard alerts, Duration reviewSla, IntSupplier liveFeeds) {
        metrics.gauge("vigil_console_live_feeds", "Open live alert feeds.", liveFeeds::getAsInt);
        metrics.gauge(
                "vigil_console_alerts_pending",
                "Alerts waiting for review.",
                () ->
                        alerts.list().stream()
                                .filter(e -> e.status() == ReviewStatus.PENDING)
                                .count());
        metrics.gauge(
                "vigil_console_alerts_over_sla",
                "Alerts waiting for review or adjudication longer than vigil.review.sla.minutes.",
                () ->
                        alerts.list().stream()
                                .filter(e -> e.overSla(reviewSla, Instant.now()))
                                .count());
        metrics.gauges(
                "vigil_console_reviewer_decisions",
                "Review decisions of the alerts the console holds, per reviewer and decision.",
                () -> {
                    Map<String, Double> m = new TreeMap<>();
                    for (ReviewStats.Reviewer r : ReviewStats.of(alerts.list()).reviewers()) {
                        String who = "reviewer=\"" + label(r.name()) + "\"";
                        m.put(who + ",decision=\"CONFIRM\"", (double) r.confirms());
                        m.put(who + ",decision=\"REJECT\"", (double) r.rejects());
                        m.put(who + ",decision=\"ABSTAIN\"", (double) r.abstentions());
                    }
                    return m;
                });
        metrics.gauges(
                "vigil_console_reviewer_agreement",
                "Share of each reviewer's confirm and reject decisions on settled alerts that agree"
                        + " with the outcome.",
                () -> {
                    Map<String, Double> m = new TreeMap<>();
                    for (ReviewStats.Reviewer r : ReviewStats.of(alerts.list()).reviewers()) {
                        r.agreement()
                                .ifPresent(a -> m.put("reviewer=\"" + label(r.name()) + "\"", a));
                    }
                    return m;
                });
        metrics.gauges(
                "vigil_console_camera_alerts",
                "Alerts the console holds per camera and review outcome (WAITING: pending or in"
                        + " adjudication).",
                () -> {
                    Map<String, Double> m = new TreeMap<>();
                    for (ReviewStats.Outcomes c : ReviewStats.of(alerts.list()).cameras()) {
                        String cam = "camera=\"" + label(c.key()) + "\"";
                        m.put(cam + ",outcome=\"CONFIRMED\"", (double) c.confirmed());
                        m.put(cam + ",outcome=\"REJECTED\"", (double) c.rejected());
                        m.put(cam + ",outcome=\"WAITING\"", (double) c.waiting());
                    }
                    return m;
                });
        metrics.gauge(
                "vigil_console_alerts_in_adjudication",
                "Alerts whose reviewers disagreed, waiting for an adjudicator.",
                () ->
                        alerts.list().stream()
                                .filter(e -> e.status() == ReviewStatus.ADJUDICATION)
                                .count());
    }

    /** A Prometheus label value: no quotes, backslashes or line breaks from a user name. */
    static String label(String value) {
        return value.replaceAll("[\"\\\\\n]", "_");
    }
}
