package io.vigil.vision.face;

import java.io.Serializable;

/** ONNX Runtime settings shared by the face models of one operator instance. */
public record InferenceOptions(int intraOpThreads, boolean useCuda, int cudaDevice)
        implements Serializable {
    public InferenceOptions {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException(
                    "intraOpThreads must be >= 1, was " + intraOpThreads);
        }
    }

    public static InferenceOptions cpu(int threads) {
        return new InferenceOptions(threads, false, 0);
    }
}
