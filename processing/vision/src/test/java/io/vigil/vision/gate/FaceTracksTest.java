package io.vigil.vision.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.vision.face.Box;
import io.vigil.vision.face.EmbedPolicy;
import io.vigil.vision.face.FaceQuality;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which faces of a track are embedded. */
class FaceTracksTest {
    private static final FaceTracks.Settings RULES =
            new FaceTracks.Settings(3, 0.1f, 2000, 2000, 0.3f, 10f);

    private static EmbedPolicy.Candidate face(float x, float y, float h, float quality) {
        return new EmbedPolicy.Candidate(
                new Box(x, y, x + h * 0.8f, y + h, 0.9f),
                new FaceQuality(1, 1, 1, quality, h, 0.5f, 0.9f));
    }

    private static boolean[] frame(FaceTracks t, long ms, EmbedPolicy.Candidate... faces) {
        return t.at(ms).select(List.of(faces));
    }

    @Test
    void aStillFaceIsEmbeddedForTheConsensusThenAtTheInterval() {
        FaceTracks t = new FaceTracks(RULES);
        int embedded = 0;
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < 20; i++) { // 10 s at 2 fps, drifting a pixel a frame
            boolean e = frame(t, 500L * i, face(700 + i, 600, 60, 0.5f))[0];
            pattern.append(e ? 'E' : '.');
            embedded += e ? 1 : 0;
        }
        // Frames 0-2 decide the track, then every 2 s: frames 6, 10, 14, 18.
        assertThat(pattern.toString()).isEqualTo("EEE...E...E...E...E.");
        assertThat(embedded).isEqualTo(7);
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void aClearlyBetterFaceReopensTheTrackForAnotherConsensus() {
        FaceTracks t = new FaceTracks(RULES);
        StringBuilder pattern = new StringBuilder();
        float[] q = {0.3f, 0.3f, 0.3f, 0.32f, 0.45f, 0.46f, 0.47f, 0.48f, 0.5f};
        for (int i = 0; i < q.length; i++) {
            pattern.append(frame(t, 500L * i, face(700, 600, 60, q[i]))[0] ? 'E' : '.');
        }
        // 0.32 is not clearly better; 0.45 is, and opens three more embeddings.
        assertThat(pattern.toString()).isEqualTo("EEE.EEE..");
    }

    @Test
    void aFaceThatJumpedOrChangedSizeStartsANewTrack() {
        FaceTracks t = new FaceTracks(RULES);
        for (int i = 0; i < 4; i++) {
            frame(t, 500L * i, face(700, 600, 60, 0.5f));
        }
        assertThat(frame(t, 2000, face(700, 600, 60, 0.5f))[0]).isFalse();
        // Walked 2 face widths in half a second: no overlap, so embedded as a new face.
        assertThat(frame(t, 2500, face(800, 600, 60, 0.5f))[0]).isTrue();
        // Twice the size at the same place: another person in front.
        assertThat(frame(t, 3000, face(790, 590, 120, 0.5f))[0]).isTrue();
    }

    @Test
    void someoneCrossingAtWalkingPaceIsFollowedByTheirVelocity() {
        FaceTracks t = new FaceTracks(RULES);
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < 9; i++) { // 3.5 face heights (60 px) a frame at 2 fps
            pattern.append(frame(t, 500L * i, face(100 + 210 * i, 600, 60, 0.5f))[0] ? 'E' : '.');
        }
        assertThat(pattern.toString()).isEqualTo("EEE...E..");
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void aFaceWhereTheTrackCouldNotHaveGoneStartsANewTrack() {
        FaceTracks t = new FaceTracks(RULES);
        for (int i = 0; i < 4; i++) {
            frame(t, 500L * i, face(100 + 210 * i, 600, 60, 0.5f));
        }
        // Walking right at 210 px a frame: a face back at the left is someone else.
        assertThat(frame(t, 2000, face(530, 600, 60, 0.5f))[0]).isTrue();
        // And one where the walker should be, is the walker.
        assertThat(frame(t, 2500, face(100 + 210 * 5, 600, 60, 0.5f))[0]).isFalse();
    }

    @Test
    void twoFacesThatCouldContinueOneTrackAreBothEmbedded() {
        FaceTracks t = new FaceTracks(RULES);
        for (int i = 0; i < 4; i++) {
            frame(t, 500L * i, face(700, 600, 60, 0.5f));
        }
        boolean[] e = frame(t, 2000, face(690, 600, 60, 0.5f), face(712, 600, 60, 0.5f));
        assertThat(e).containsExactly(true, true);
    }

    @Test
    void aTrackIsForgottenAfterItsFaceIsGone() {
        FaceTracks t = new FaceTracks(RULES);
        for (int i = 0; i < 4; i++) {
            frame(t, 500L * i, face(700, 600, 60, 0.5f));
        }
        frame(t, 2000);
        assertThat(t.size()).isEqualTo(1);
        frame(t, 4000);
        assertThat(t.size()).isZero();
        assertThat(frame(t, 4500, face(700, 600, 60, 0.5f))[0]).isTrue();
    }

    @Test
    void anIntervalOfZeroEmbedsEveryFace() {
        FaceTracks t = new FaceTracks(new FaceTracks.Settings(3, 0.1f, 0, 2000, 0.3f, 10f));
        for (int i = 0; i < 10; i++) {
            assertThat(frame(t, 500L * i, face(700, 600, 60, 0.5f))[0]).isTrue();
        }
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new FaceTracks.Settings(0, 0.1f, 0, 1, 0.3f, 10f))
                .hasMessageContaining("decideAttempts");
        assertThatThrownBy(() -> new FaceTracks.Settings(3, 0f, 0, 1, 0.3f, 10f))
                .hasMessageContaining("qualityMargin");
        assertThatThrownBy(() -> new FaceTracks.Settings(3, 0.1f, -1, 1, 0.3f, 10f))
                .hasMessageContaining("reembedIntervalMs");
        assertThatThrownBy(() -> new FaceTracks.Settings(3, 0.1f, 0, 0, 0.3f, 10f))
                .hasMessageContaining("forgetMs");
        assertThatThrownBy(() -> new FaceTracks.Settings(3, 0.1f, 0, 1, 1f, 10f))
                .hasMessageContaining("minIou");
        assertThatThrownBy(() -> new FaceTracks.Settings(3, 0.1f, 0, 1, 0.3f, -1f))
                .hasMessageContaining("maxSpeed");
    }
}
