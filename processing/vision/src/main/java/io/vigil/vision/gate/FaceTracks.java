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
 * <p>A track here is a box, a few times and counts, for one camera: no embedding, crop or identity,
 * and it is forgotten {@link Settings#forgetMs} after its face was last seen. Faces are joined to
 * tracks by box overlap and a similar size; a face that moved further than that between two frames
 * starts a new track and is embedded, so a wrong join costs work, not a missed face. One instance
 * per camera, used by one thread.
 */
public final class FaceTracks {

    /**
     * @param decideAttempts faces of a track embedded before it counts as decided
     * @param qualityMargin rise of the overall quality (0..1) over the track's best that reopens it
     * @param reembedIntervalMs capture time between two embeddings of a decided track; 0 embeds
     *     every face (the policy off)
     * @param forgetMs capture time after which a track not seen is forgotten
     * @param minIou overlap with the track's last box that joins a face to it
     */
    public record Settings(
            int decideAttempts,
            float qualityMargin,
            long reembedIntervalMs,
            long forgetMs,
            float minIou)
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
        }

        public static Settings defaults() {
            return new Settings(3, 0.1f, 2000, 2000, 0.3f);
        }

        public boolean enabled() {
            return reembedIntervalMs > 0;
        }
    }

    /** Largest size ratio between a track's box and a face that continues it. */
    static final float MAX_SIZE_RATIO = 1.5f;

    private static final class Track {
        Box box;
        long lastSeen;
        long lastEmbedded;
        int attempts;
        float best;
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
                if (joins(live.get(j).box, faces.get(i).box())) {
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
                t.box = f.box();
                t.lastSeen = Math.max(t.lastSeen, now);
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

    private boolean joins(Box track, Box face) {
        float ratio = face.height() / Math.max(1e-3f, track.height());
        return ratio <= MAX_SIZE_RATIO
                && ratio >= 1 / MAX_SIZE_RATIO
                && track.iou(face) >= settings.minIou();
    }
}
