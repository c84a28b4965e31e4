package io.vigil.job.track;

import io.vigil.schemas.Alert;
import io.vigil.schemas.BoundingBox;
import io.vigil.schemas.FaceObservation;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.SupportingFace;
import io.vigil.schemas.WatchlistHit;
import io.vigil.schemas.state.CameraTracks;
import io.vigil.schemas.state.Evidence;
import io.vigil.schemas.state.OpenAlert;
import io.vigil.schemas.state.Track;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Turns the matched faces of one camera into alerts: faces are joined into tracks by overlap (or a
 * centre shift no larger than a person walks in the time between), a track raises an alert for an
 * entry once enough of its frames matched that entry within the consensus window, and later matches
 * of the entry on the camera update that alert until it has gone quiet for the suppression window.
 * So one person walking past raises one alert, not one per frame.
 *
 * <p>Works on a {@link CameraTracks} value (the Flink keyed state of one camera) and has no other
 * state, so the Flink operator and the offline evaluation run the same code. Faces are taken in
 * arrival order: Kafka keeps one camera's frames in order, and a late frame still joins its track
 * by time and position. A track starts only from a face that matched an entry: faces that match
 * nothing only extend existing tracks and are never kept.
 */
public final class TrackConsensus {
    /** Supporting frames an alert carries besides its best frame. */
    static final int SUPPORTING = 3;

    /** Matching-frame times kept per (track, entry) for the window check. */
    private final int timesKept;

    private final TrackingSettings settings;

    public TrackConsensus(TrackingSettings settings) {
        this.settings = settings;
        this.timesKept = Math.max(8, 4 * settings.consensusFrames());
    }

    public static CameraTracks emptyState() {
        return new CameraTracks(new ArrayList<>(), new ArrayList<>());
    }

    public static boolean isEmpty(CameraTracks state) {
        return state.getTracks().isEmpty() && state.getAlerts().isEmpty();
    }

    /**
     * Takes one face; returns the alert revisions it causes (none, a new alert, or an update).
     *
     * @param nowMs wall-clock time stamped on emitted revisions
     */
    public List<Alert> observe(CameraTracks state, FaceObservation face, long nowMs) {
        long t = face.getCaptureTimestamp().toEpochMilli();
        WatchlistHit hit = face.getHit();
        Track track = associate(state, face, t);
        if (track == null) {
            if (hit == null) {
                return List.of(); // matched nothing and belongs to no track: forgotten here
            }
            track = newTrack(face, t);
            state.getTracks().add(track);
        }
        track.setFrames(track.getFrames() + 1);
        if (t >= track.getLastSeen()) {
            track.setBox(face.getBox());
            track.setLastSeen(t);
            track.setLastFrameSequence(face.getFrameSequence());
        }
        track.setFirstSeen(Math.min(track.getFirstSeen(), t));
        if (hit == null) {
            return List.of();
        }

        Evidence evidence = evidenceFor(track, face, hit);
        add(evidence, face, hit, t);
        OpenAlert open = openAlertFor(state, hit.getEntryId(), t);
        if (open != null) {
            add(open.getEvidence(), face, hit, t);
            open.setDirty(true);
            open.setLastTrigger(Math.max(open.getLastTrigger(), t));
            if (t - open.getLastEmitted() >= settings.updateIntervalMs()
                    && settings.updateIntervalMs() > 0) {
                return List.of(emit(open, false, t, nowMs));
            }
            return List.of();
        }
        if (track.getAlerted().contains(hit.getEntryId()) || !consensus(evidence.getTimes())) {
            return List.of();
        }
        track.getAlerted().add(hit.getEntryId());
        OpenAlert alert =
                new OpenAlert(
                        alertId(face.getCameraId(), track.getTrackId(), hit.getEntryId()),
                        track.getTrackId(),
                        -1,
                        true,
                        t,
                        t,
                        copy(evidence));
        state.getAlerts().add(alert);
        return List.of(emit(alert, false, t, nowMs));
    }

    /**
     * Event time has reached {@code watermark}: ends tracks idle for the track timeout and closes
     * alerts quiet for the suppression window, returning their closing revisions.
     */
    public List<Alert> advance(CameraTracks state, long watermark, long nowMs) {
        // New lists rather than removal in place: Avro arrays read back from state cannot remove.
        List<Track> live = new ArrayList<>(state.getTracks().size());
        for (Track tr : state.getTracks()) {
            if (tr.getLastSeen() + settings.trackTimeoutMs() > watermark) {
                live.add(tr);
            }
        }
        state.setTracks(live);
        List<Alert> closed = new ArrayList<>(0);
        List<OpenAlert> open = new ArrayList<>(state.getAlerts().size());
        for (OpenAlert a : state.getAlerts()) {
            if (a.getEvidence().getLastSeen() + settings.suppressionMs() <= watermark) {
                closed.add(emit(a, true, a.getLastTrigger(), nowMs));
            } else {
                open.add(a);
            }
        }
        state.setAlerts(open);
        return closed;
    }

    /** Event time at which {@link #advance} next has work; {@code Long.MAX_VALUE} if none. */
    public long nextDeadline(CameraTracks state) {
        long next = Long.MAX_VALUE;
        for (Track tr : state.getTracks()) {
            next = Math.min(next, tr.getLastSeen() + settings.trackTimeoutMs());
        }
        for (OpenAlert a : state.getAlerts()) {
            next = Math.min(next, a.getEvidence().getLastSeen() + settings.suppressionMs());
        }
        return next;
    }

    private Track associate(CameraTracks state, FaceObservation face, long t) {
        Track best = null;
        double bestScore = 0;
        BoundingBox b = face.getBox();
        for (Track tr : state.getTracks()) {
            if ((tr.getLastSeen() == t && tr.getLastFrameSequence() == face.getFrameSequence())
                    || t > tr.getLastSeen() + settings.trackTimeoutMs()
                    || t < tr.getFirstSeen() - settings.trackTimeoutMs()) {
                continue; // already has a face of this frame, or too far away in time
            }
            double iou = iou(b, tr.getBox());
            double score;
            if (iou >= settings.minIou()) {
                score = 1 + iou;
            } else {
                // Sampled frames of a walking person lie apart by how far they walked between.
                double allowed =
                        settings.maxCentroidShift()
                                + settings.maxSpeed() * Math.abs(t - tr.getLastSeen()) / 1000.0;
                double shift = centreShift(b, tr.getBox());
                if (shift > allowed) {
                    continue;
                }
                score = 1 - shift / (allowed + 1e-6);
            }
            if (score > bestScore) {
                best = tr;
                bestScore = score;
            }
        }
        return best;
    }

    private boolean consensus(List<Long> sortedTimes) {
        int n = settings.consensusFrames();
        for (int i = 0; i + n - 1 < sortedTimes.size(); i++) {
            if (sortedTimes.get(i + n - 1) - sortedTimes.get(i) <= settings.consensusWindowMs()) {
                return true;
            }
        }
        return false;
    }

    private Evidence evidenceFor(Track track, FaceObservation face, WatchlistHit hit) {
        for (Evidence e : track.getEvidence()) {
            if (e.getEntryId().equals(hit.getEntryId())) {
                return e;
            }
        }
        long t = face.getCaptureTimestamp().toEpochMilli();
        Evidence e =
                new Evidence(
                        hit.getEntryId(),
                        hit.getExternalId(),
                        hit.getLegalBasis(),
                        new ArrayList<>(),
                        t,
                        t,
                        0,
                        0d,
                        0d,
                        -1d,
                        face,
                        new ArrayList<>());
        track.getEvidence().add(e);
        return e;
    }

    private void add(Evidence e, FaceObservation face, WatchlistHit hit, long t) {
        List<Long> times = e.getTimes();
        int at = Collections.binarySearch(times, t);
        times.add(at < 0 ? -at - 1 : at, t);
        if (times.size() > timesKept) {
            times.remove(0);
        }
        double weight = weight(face);
        e.setSupportingFrames(e.getSupportingFrames() + 1);
        e.setWeightedSum(e.getWeightedSum() + weight * hit.getSimilarity());
        e.setWeightSum(e.getWeightSum() + weight);
        e.setFirstSeen(Math.min(e.getFirstSeen(), t));
        e.setLastSeen(Math.max(e.getLastSeen(), t));
        double score = weight * hit.getSimilarity();
        if (score > e.getBestScore()) {
            e.setBestScore(score);
            e.setBest(face);
        }
        keepSharpest(e, face);
    }

    /**
     * Keeps the {@link #SUPPORTING} + 1 matching faces of highest quality (one may be the best
     * frame, which the alert shows apart).
     */
    private static void keepSharpest(Evidence e, FaceObservation face) {
        if (face.getFaceCrop() == null) {
            return;
        }
        // A new list: Avro arrays read back from state cannot remove.
        List<FaceObservation> kept = new ArrayList<>(e.getSharpest());
        kept.add(face);
        kept.sort((a, b) -> Float.compare(b.getQuality(), a.getQuality()));
        e.setSharpest(new ArrayList<>(kept.subList(0, Math.min(kept.size(), SUPPORTING + 1))));
    }

    /** The sharpest matching frames other than the best one, for the reviewer. */
    private static List<SupportingFace> supporting(Evidence e) {
        FaceObservation best = e.getBest();
        List<SupportingFace> out = new ArrayList<>();
        for (FaceObservation f : e.getSharpest()) {
            if (out.size() == SUPPORTING) {
                break;
            }
            if (f.getFrameSequence() == best.getFrameSequence()
                    && f.getFaceIndex() == best.getFaceIndex()) {
                continue;
            }
            out.add(
                    new SupportingFace(
                            f.getFrameSequence(),
                            f.getCaptureTimestamp(),
                            f.getQuality(),
                            f.getHit().getSimilarity(),
                            f.getHit().getFaceId(),
                            f.getFaceCrop()));
        }
        return out;
    }

    /** Small, blurred or turned faces count less; never zero, so every matching frame counts. */
    static double weight(FaceObservation face) {
        return Math.max(0.05, face.getQuality());
    }

    private Alert emit(OpenAlert a, boolean closed, long triggerMs, long nowMs) {
        a.setRevision(a.getRevision() + 1);
        a.setDirty(false);
        a.setLastEmitted(triggerMs);
        Evidence e = a.getEvidence();
        FaceObservation best = e.getBest();
        return Alert.newBuilder()
                .setAlertId(a.getAlertId())
                .setRevision(a.getRevision())
                .setClosed(closed)
                .setCameraId(best.getCameraId())
                .setTrackId(a.getTrackId())
                .setFirstSeen(Instant.ofEpochMilli(e.getFirstSeen()))
                .setLastSeen(Instant.ofEpochMilli(e.getLastSeen()))
                .setSupportingFrames(e.getSupportingFrames())
                .setFrameSequence(best.getFrameSequence())
                .setCaptureTimestamp(best.getCaptureTimestamp())
                .setIngestTimestamp(best.getIngestTimestamp())
                .setAlertTimestamp(Instant.ofEpochMilli(nowMs))
                .setTriggerCaptureTimestamp(Instant.ofEpochMilli(triggerMs))
                .setBox(best.getBox())
                .setDetectionConfidence(best.getDetectionConfidence())
                .setLandmarks(best.getLandmarks())
                .setQuality(best.getQuality())
                .setWatchlistEntryId(e.getEntryId())
                .setExternalId(e.getExternalId())
                .setLegalBasis(e.getLegalBasis())
                .setEntryExpiresAt(Instant.ofEpochMilli(best.getHit().getExpiresAtMillis()))
                .setSimilarity((float) (e.getWeightedSum() / e.getWeightSum()))
                .setBestSimilarity(best.getHit().getSimilarity())
                .setThreshold(best.getThreshold())
                .setConsensusFrames(settings.consensusFrames())
                .setModelId(best.getModelId())
                .setFaceCrop(best.getFaceCrop())
                .setMatchedFaceId(best.getHit().getFaceId())
                .setSupporting(supporting(e))
                .setReviewStatus(ReviewStatus.PENDING)
                .build();
    }

    /** The open alert of the entry whose suppression window covers capture time {@code t}. */
    private OpenAlert openAlertFor(CameraTracks state, String entryId, long t) {
        for (OpenAlert a : state.getAlerts()) {
            Evidence e = a.getEvidence();
            if (e.getEntryId().equals(entryId)
                    && t <= e.getLastSeen() + settings.suppressionMs()
                    && t >= e.getFirstSeen() - settings.suppressionMs()) {
                return a;
            }
        }
        return null;
    }

    private static Track newTrack(FaceObservation face, long t) {
        String id = face.getCameraId() + ':' + t + ':' + face.getFaceIndex();
        return new Track(
                id,
                face.getBox(),
                t,
                t,
                face.getFrameSequence(),
                0,
                new ArrayList<>(),
                new ArrayList<>());
    }

    private static Evidence copy(Evidence e) {
        return Evidence.newBuilder(e).setTimes(new ArrayList<>(e.getTimes())).build();
    }

    static String alertId(String camera, String trackId, String entryId) {
        String key = camera + '|' + trackId + '|' + entryId;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static double iou(BoundingBox a, BoundingBox b) {
        double ix = Math.min(a.getX2(), b.getX2()) - Math.max(a.getX1(), b.getX1());
        double iy = Math.min(a.getY2(), b.getY2()) - Math.max(a.getY1(), b.getY1());
        if (ix <= 0 || iy <= 0) {
            return 0;
        }
        double inter = ix * iy;
        double union = area(a) + area(b) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** Distance between box centres in units of the larger box height. */
    static double centreShift(BoundingBox a, BoundingBox b) {
        double dx = (a.getX1() + a.getX2() - b.getX1() - b.getX2()) / 2;
        double dy = (a.getY1() + a.getY2() - b.getY1() - b.getY2()) / 2;
        double h = Math.max(a.getY2() - a.getY1(), b.getY2() - b.getY1());
        return h <= 0 ? Double.MAX_VALUE : Math.hypot(dx, dy) / h;
    }

    private static double area(BoundingBox b) {
        return Math.max(0, b.getX2() - b.getX1()) * Math.max(0, b.getY2() - b.getY1());
    }
}
