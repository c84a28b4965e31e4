package io.vigil.vision.face;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.vigil.vision.model.ModelCatalog;
import io.vigil.vision.model.ModelManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session over a model file whose SHA-256 is checked before loading. Errors name
 * the file so a wrong path or a tampered model fails at start-up, not mid-stream.
 */
public final class OnnxModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);

    private static final long LOAD_STACK_BYTES = 64L * 1024 * 1024;

    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;

    private OnnxModel(Path file, OrtEnvironment env, OrtSession session) throws OrtException {
        this.file = file;
        this.env = env;
        this.session = session;
        this.inputName = session.getInputNames().iterator().next();
    }

    /**
     * Loads a model. {@code sha256} may be null to skip the check (user-supplied models without a
     * manifest yet); a mismatch is an error.
     */
    public static OnnxModel load(Path file, String sha256, InferenceOptions options) {
        return load(file, sha256, options, "fix the path or the manifest's sha256");
    }

    /**
     * Loads the model a manifest describes from where it is installed ({@link
     * ModelCatalog#installed}), its SHA-256 checked against the pin. A file that does not match
     * says how to replace it: converted models are converted again, fetched ones fetched again.
     */
    public static OnnxModel open(ModelManifest m, Path assetsDir, InferenceOptions options) {
        Path file;
        try {
            file = ModelCatalog.installed(m, assetsDir);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        String remedy =
                ModelCatalog.isConverted(m)
                        ? "converted by another version of Vigil, or damaged: run ./vigil models"
                                + " convert "
                                + m.id()
                                + " (the build also converts it again)"
                        : "replace it: delete it and run deploy/bin/fetch-assets.sh";
        return load(file, m.sha256(), options, remedy);
    }

    private static OnnxModel load(
            Path file, String sha256, InferenceOptions options, String remedy) {
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(
                    "model file "
                            + file
                            + " does not exist (run deploy/bin/fetch-assets.sh or fix the path)");
        }
        if (sha256 != null) {
            String actual = sha256(file);
            if (!actual.equalsIgnoreCase(sha256)) {
                throw new ModelLoadException(
                        "model file "
                                + file
                                + " has SHA-256 "
                                + actual
                                + ", expected "
                                + sha256
                                + " ("
                                + remedy
                                + ")");
            }
        }
        OrtEnvironment env;
        try {
            env = onLargeStack(file, OrtEnvironment::getEnvironment);
        } catch (OrtException e) {
            throw new ModelLoadException("cannot start ONNX Runtime: " + e.getMessage(), e);
        }
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Converted models (BlazeFace) carry unused initialisers ORT warns about on every load.
            so.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            so.setIntraOpNumThreads(options.intraOpThreads());
            // One model call at a time per operator; inter-op parallelism only adds thread churn.
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (options.useCuda()) {
                try {
                    so.addCUDA(options.cudaDevice());
                    LOG.info(
                            "model {}: CUDA execution provider on device {}",
                            file.getFileName(),
                            options.cudaDevice());
                } catch (OrtException | UnsatisfiedLinkError e) {
                    LOG.warn(
                            "model {}: CUDA requested but unavailable ({}); falling back to CPU",
                            file.getFileName(),
                            e.getMessage());
                }
            }
            return new OnnxModel(
                    file, env, onLargeStack(file, () -> env.createSession(file.toString(), so)));
        } catch (OrtException e) {
            throw new ModelLoadException(
                    "cannot load ONNX model " + file + ": " + e.getMessage(), e);
        }
    }

    /** An ONNX Runtime call that may throw. */
    private interface OrtCall<T> {
        T call() throws OrtException;
    }

    /**
     * Loading the ONNX Runtime native library and building a session recurse deeply in native code
     * and overflow a default 1-2 MB Java thread stack: a SIGSEGV that kills the whole JVM (a Flink
     * task thread included) without an exception. Both therefore run on a short-lived thread with a
     * large stack; inference itself is fine on ordinary threads.
     */
    private static <T> T onLargeStack(Path file, OrtCall<T> call) throws OrtException {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t =
                new Thread(
                        null,
                        () -> {
                            try {
                                result[0] = call.call();
                            } catch (Throwable e) {
                                failure[0] = e;
                            }
                        },
                        "ort-load-" + file.getFileName(),
                        LOAD_STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelLoadException("interrupted while loading " + file, e);
        }
        if (failure[0] instanceof OrtException oe) {
            throw oe;
        }
        if (failure[0] != null) {
            throw new ModelLoadException(
                    "cannot load ONNX model " + file + ": " + failure[0], failure[0]);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** Runs the model on one float input and returns the named outputs as flat arrays. */
    public float[][] run(FloatBuffer input, long[] shape, String... outputs) {
        input.rewind();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
                OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            float[][] out = new float[outputs.length][];
            for (int i = 0; i < outputs.length; i++) {
                OnnxTensor t =
                        (OnnxTensor)
                                result.get(outputs[i])
                                        .orElseThrow(
                                                () ->
                                                        new IllegalStateException(
                                                                "model "
                                                                        + file
                                                                        + " has no output"));
                FloatBuffer fb = t.getFloatBuffer();
                out[i] = new float[fb.remaining()];
                fb.get(out[i]);
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "inference failed on " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** The first input's batch dimension: 1 for a fixed batch, -1 when any batch is accepted. */
    public long batchDimension() {
        try {
            NodeInfo in = session.getInputInfo().get(inputName);
            return ((TensorInfo) in.getInfo()).getShape()[0];
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read the input of " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing {} failed: {}", file, e.getMessage());
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ModelLoadException(
                    "cannot read model file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A model could not be found, verified or loaded. */
    public static final class ModelLoadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ModelLoadException(String message) {
            super(message);
        }

        public ModelLoadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
