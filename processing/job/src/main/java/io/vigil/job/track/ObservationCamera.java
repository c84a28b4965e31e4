package io.vigil.job.track;

import io.vigil.schemas.FaceObservation;
import org.apache.flink.api.java.functions.KeySelector;

/** Tracks are per camera: all faces of one camera go to one subtask. */
public final class ObservationCamera implements KeySelector<FaceObservation, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(FaceObservation face) {
        return face.getCameraId();
    }
}
