package io.vigil.console;

import io.vigil.schemas.Alert;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The alerts the console shows: the latest revision of each alert with its review decisions, folded
 * from the alerts and reviews topics. Listeners hear of every change (the live feed).
 */
public final class AlertBoard {
    /** Alerts kept in memory; the oldest are dropped from view (they stay on the topic). */
    static final int CAPACITY = 5000;

    /** An alert as the console sees it. */
    public record Entry(Alert alert, List<ReviewDecision> decisions, ReviewStatus status) {
        /** Pending or in adjudication: reviewers still owe it a decision. */
        boolean waiting() {
            return status == ReviewStatus.PENDING || status == ReviewStatus.ADJUDICATION;
        }

        /** Waiting since its first frame was seen, for longer than the service level. */
        boolean overSla(Duration sla, Instant now) {
            return waiting() && alert.getFirstSeen().plus(sla).isBefore(now);
        }
    }

    private final ReviewPolicy policy;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final Map<String, List<ReviewDecision>> decisions = new LinkedHashMap<>();
    private final Set<String> decisionIds = new HashSet<>();
    private final List<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();

    public AlertBoard(ReviewPolicy policy) {
        this.policy = policy;
    }

    public ReviewPolicy policy() {
        return policy;
    }

    /** A new revision replaces an older one; a replayed older revision is ignored. */
    public void onAlert(Alert a) {
        Entry changed;
        synchronized (this) {
            Alert old = alerts.get(a.getAlertId());
            if (old != null && old.getRevision() >= a.getRevision()) {
                return;
            }
            alerts.put(a.getAlertId(), a);
            if (alerts.size() > CAPACITY) {
                String oldest = alerts.keySet().iterator().next();
                alerts.remove(oldest);
                decisions.remove(oldest);
            }
            changed = entry(a.getAlertId());
        }
        listeners.forEach(l -> l.accept(changed));
    }

    /** A decision is applied once, whether seen locally first or on the topic. */
    public void onDecision(ReviewDecision d) {
        Entry changed;
        synchronized (this) {
            if (!decisionIds.add(d.getDecisionId())) {
                return;
            }
            decisions.computeIfAbsent(d.getAlertId(), k -> new ArrayList<>()).add(d);
            changed = alerts.containsKey(d.getAlertId()) ? entry(d.getAlertId()) : null;
        }
        if (changed != null) {
            listeners.forEach(l -> l.accept(changed));
        }
    }

    public synchronized Optional<Entry> get(String alertId) {
        return alerts.containsKey(alertId) ? Optional.of(entry(alertId)) : Optional.empty();
    }

    /** Newest first (by first seen). */
    public synchronized List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        for (String id : alerts.keySet()) {
            out.add(entry(id));
        }
        out.sort(Comparator.comparing((Entry e) -> e.alert().getFirstSeen()).reversed());
        return out;
    }

    public void listen(Consumer<Entry> l) {
        listeners.add(l);
    }

    public void unlisten(Consumer<Entry> l) {
        listeners.remove(l);
    }

    private Entry entry(String id) {
        List<ReviewDecision> ds = policy.effective(decisions.getOrDefault(id, List.of()));
        return new Entry(alerts.get(id), List.copyOf(ds), policy.status(ds));
    }
}
