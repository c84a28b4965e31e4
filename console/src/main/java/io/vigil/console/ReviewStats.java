package io.vigil.console;

import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.ReviewVerdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Accounting of human review for oversight, over the alerts the console holds: per reviewer,
 * decisions, how often they agreed with the settled outcome and how long they took; per camera and
 * per watchlist entry, alerts raised, confirmed, rejected and still waiting, and the observed
 * false-alert rate (rejected of settled).
 */
public final class ReviewStats {
    private ReviewStats() {}

    /** One reviewer's record. */
    public record Reviewer(
            String name,
            int decisions,
            int confirms,
            int rejects,
            int abstentions,
            int onSettled,
            int agreed,
            Duration medianTimeToDecide) {
        /** Agreed of their confirm or reject decisions on settled alerts; empty with none. */
        public Optional<Double> agreement() {
            return onSettled == 0 ? Optional.empty() : Optional.of(agreed / (double) onSettled);
        }
    }

    /** Alerts of one camera or one watchlist entry. */
    public record Outcomes(String key, int raised, int confirmed, int rejected, int waiting) {
        /** Rejected of settled; empty while none is settled. */
        public Optional<Double> observedFalseAlertRate() {
            int settled = confirmed + rejected;
            return settled == 0 ? Optional.empty() : Optional.of(rejected / (double) settled);
        }
    }

    /** The accounting of these alerts. */
    public record Report(
            List<Reviewer> reviewers, List<Outcomes> cameras, List<Outcomes> entries) {}

    public static Report of(List<AlertBoard.Entry> alerts) {
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, List<Long>> times = new TreeMap<>();
        Map<String, int[]> cameras = new TreeMap<>();
        Map<String, int[]> entries = new TreeMap<>();
        for (AlertBoard.Entry e : alerts) {
            ReviewStatus s = e.status();
            count(cameras, e.alert().getCameraId(), s);
            count(entries, e.alert().getExternalId(), s);
            boolean settled = s == ReviewStatus.CONFIRMED || s == ReviewStatus.REJECTED;
            for (ReviewDecision d : e.decisions()) {
                int[] c = counts.computeIfAbsent(d.getReviewer(), k -> new int[6]);
                c[0]++;
                c[1 + d.getDecision().ordinal()]++;
                if (settled && d.getDecision() != ReviewVerdict.ABSTAIN) {
                    c[4]++;
                    boolean confirmed = s == ReviewStatus.CONFIRMED;
                    if (confirmed == (d.getDecision() == ReviewVerdict.CONFIRM)) {
                        c[5]++;
                    }
                }
                times.computeIfAbsent(d.getReviewer(), k -> new ArrayList<>())
                        .add(
                                Math.max(
                                        0,
                                        Duration.between(e.alert().getFirstSeen(), d.getDecidedAt())
                                                .toMillis()));
            }
        }
        List<Reviewer> reviewers = new ArrayList<>();
        counts.forEach(
                (name, c) ->
                        reviewers.add(
                                new Reviewer(
                                        name,
                                        c[0],
                                        c[1],
                                        c[2],
                                        c[3],
                                        c[4],
                                        c[5],
                                        Duration.ofMillis(median(times.get(name))))));
        return new Report(reviewers, outcomes(cameras), outcomes(entries));
    }

    private static void count(Map<String, int[]> m, String key, ReviewStatus s) {
        int[] c = m.computeIfAbsent(key, k -> new int[4]);
        c[0]++;
        switch (s) {
            case CONFIRMED -> c[1]++;
            case REJECTED -> c[2]++;
            default -> c[3]++;
        }
    }

    private static List<Outcomes> outcomes(Map<String, int[]> m) {
        List<Outcomes> out = new ArrayList<>();
        m.forEach((k, c) -> out.add(new Outcomes(k, c[0], c[1], c[2], c[3])));
        return out;
    }

    private static long median(List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.get(v.size() / 2);
    }
}
