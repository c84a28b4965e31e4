package io.vigil.vision.gate;

import io.vigil.vision.face.Box;
import io.vigil.vision.face.EmbedPolicy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeds a face that continues a track only when that helps: the first {@link
 * Settings#decideAttempts} faces of a track (enough for the alert consensus to decide), again that
 * many after its quality clearly improved (the person turned towards the camera or came closer),
 * and otherwise once per {@link Settings#reembedIntervalMs}. A face that starts a track, or whose
 * track is ambiguous (two faces could continue it, or it could continue two), is always embedded.
 *
 * <p>A track here is a box, a velocity, a few times and counts, for one camera: no embedding, crop
 * or identity, and it is forgotten {@link Settings#forgetMs} after its face was last seen. A face
 * joins a track of a similar size when the boxes overlap, or when it lies within a face height of
 * where the track's velocity puts it (someone crossing the view at walking pace moves 3.5 face
 * heights between frames at 2 fps). A track seen once has no velocity yet: it is joined within the
 * distance a person can walk in the time between ({@link Settings#maxSpeed}), and as its first
 * faces are embedded anyway, a wrong early join costs nothing; by the time a track is decided, two
 * joins have agreed with its motion. A face that fits no track starts one and is embedded. One
 * instance per camera, used by one thread.
 */
public final class FaceTracks {

    /**
     * @param decideAttempts faces of a track embedded before it counts as decided
     * @param qualityMargin rise of the overall quality (0..1) over the track's best that reopens it
     * @param reembedIntervalMs capture time between two embeddings of a decided track; 0 embeds
     *     every face (the policy off)
     * @param forgetMs capture time after which a track not seen is forgotten
     * @param minIou overlap with the track's last box that joins a face to it
     * @param maxSpeed face heights per second a person may move between two faces of a track
     */
    public record Settings(
            int decideAttempts,
            float qualityMargin,
            long reembedIntervalMs,
            long forgetMs,
            float minIou,
            float maxSpeed)
            implements Serializable {
        public Settings {
            if (decideAttempts < 1) {
                throw new IllegalArgumentException(
                        "decideAttempts must be >= 1, was " + decideAttempts);
            }
            if (qualityMargin <= 0 || qualityMargin >= 1) {
                throw new IllegalArgumentException(
                        "qualityMargin must be in (0, 1), was " + qualityMargin);
            }
            if (reembedIntervalMs < 0) {
                throw new IllegalArgumentException(
                        "reembedIntervalMs must be >= 0, was " + reembedIntervalMs);
            }
            if (forgetMs < 1) {
                throw new IllegalArgumentException("forgetMs must be >= 1, was " + forgetMs);
            }
            if (minIou <= 0 || minIou >= 1) {
                throw new IllegalArgumentException("minIou must be in (0, 1), was " + minIou);
            }
            if (maxSpeed < 0) {
                throw new IllegalArgumentException("maxSpeed must be >= 0, was " + maxSpeed);
            }
        }

        public static Settings defaults() {
            return new Settings(3, 0.1f, 2000, 2000, 0.3f, 10f);
        }

        public boolean enabled() {
            return reembedIntervalMs > 0;
        }
    }

    /** Largest size ratio between a track's box and a face that continues it. */
    static final float MAX_SIZE_RATIO = 1.5f;

    /** Distance from where the track's velocity puts it, in face heights, that joins a face. */
    static final float MAX_PREDICTION_ERROR = 1f;

    private static final class Track {
        Box box;
        long lastSeen;
        long lastEmbedded;
        int attempts;
        float best;
        boolean moving;
        float vx;
        float vy;

        void moveTo(Box b, long now) {
            long dt = now - lastSeen;
            if (dt > 0) {
                vx = (cx(b) - cx(box)) / dt;
                vy = (cy(b) - cy(box)) / dt;
                moving = true;
            }
            box = b;
            lastSeen = Math.max(lastSeen, now);
        }
    }

    private final Settings settings;
    private List<Track> tracks = new ArrayList<>();

    public FaceTracks(Settings settings) {
        this.settings = settings;
    }

    /** The policy for the frame captured at {@code captureMs}. */
    public EmbedPolicy at(long captureMs) {
        return faces -> select(faces, captureMs);
    }

    /** Tracks held now (for tests and metrics). */
    public int size() {
        return tracks.size();
    }

    boolean[] select(List<EmbedPolicy.Candidate> faces, long now) {
        int n = faces.size();
        boolean[] embed = new boolean[n];
        List<Track> live = new ArrayList<>(tracks.size() + n);
        for (Track t : tracks) {
            if (Math.abs(now - t.lastSeen) <= settings.forgetMs()) {
                live.add(t);
            }
        }
        int m = live.size();
        int[] faceLinks = new int[n];
        int[] trackLinks = new int[m];
        int[] partner = new int[n];
        java.util.Arrays.fill(partner, -1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                if (joins(live.get(j), faces.get(i).box(), now)) {
                    faceLinks[i]++;
                    trackLinks[j]++;
                    partner[i] = j;
                }
            }
        }
        List<Track> next = new ArrayList<>(m + n);
        boolean[] kept = new boolean[m];
        for (int i = 0; i < n; i++) {
            EmbedPolicy.Candidate f = faces.get(i);
            float q = f.quality().overall();
            int j = partner[i];
            if (settings.enabled() && faceLinks[i] == 1 && trackLinks[j] == 1) {
                Track t = live.get(j);
                kept[j] = true;
                embed[i] = continues(t, q, now);
                t.moveTo(f.box(), now);
                next.add(t);
            } else {
                Track t = new Track();
                t.box = f.box();
                t.lastSeen = now;
                t.lastEmbedded = now;
                t.attempts = 1;
                t.best = q;
                embed[i] = true;
                next.add(t);
            }
        }
        for (int j = 0; j < m; j++) {
            // A track another face could also continue is dropped with its ambiguity.
            if (!kept[j] && trackLinks[j] == 0) {
                next.add(live.get(j));
            }
        }
        tracks = next;
        return embed;
    }

    private boolean continues(Track t, float quality, long now) {
        boolean embed;
        if (quality >= t.best + settings.qualityMargin()) {
            t.attempts = 0; // reopened: the better faces get a consensus of their own
            embed = true;
        } else {
            embed =
                    t.attempts < settings.decideAttempts()
                            || now - t.lastEmbedded >= settings.reembedIntervalMs();
        }
        if (embed) {
            t.attempts++;
            t.lastEmbedded = Math.max(t.lastEmbedded, now);
            t.best = Math.max(t.best, quality);
        }
        return embed;
    }

    private boolean joins(Track t, Box face, long now) {
        Box last = t.box;
        float h = Math.max(last.height(), face.height());
        float ratio = face.height() / Math.max(1e-3f, last.height());
        if (ratio > MAX_SIZE_RATIO || ratio < 1 / MAX_SIZE_RATIO || h <= 0) {
            return false;
        }
        if (last.iou(face) >= settings.minIou()) {
            return true;
        }
        long dt = now - t.lastSeen;
        if (t.moving) {
            float px = cx(last) + t.vx * dt;
            float py = cy(last) + t.vy * dt;
            return Math.hypot(cx(face) - px, cy(face) - py) / h <= MAX_PREDICTION_ERROR;
        }
        double reach = MAX_PREDICTION_ERROR + settings.maxSpeed() * Math.abs(dt) / 1000.0;
        return Math.hypot(cx(face) - cx(last), cy(face) - cy(last)) / h <= reach;
    }

    private static float cx(Box b) {
        return (b.x1() + b.x2()) / 2;
    }

    private static float cy(Box b) {
        return (b.y1() + b.y2()) / 2;
    }
}
