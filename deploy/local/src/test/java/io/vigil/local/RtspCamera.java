package io.vigil.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A camera that speaks RTSP: Debian's GStreamer RTSP server ({@code deploy/bin/rtsp-camera.py},
 * installed by {@code deploy/bin/install-rtsp-server.sh}) serving a video's H.264 in real time,
 * behind basic authentication, as its own process, so a test can kill it and start it again on the
 * same port.
 */
final class RtspCamera implements AutoCloseable {
    private final Path video;
    private final int port;
    private final String user;
    private final String password;
    private Process process;

    private RtspCamera(Path video, int port, String user, String password) {
        this.video = video;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** Starts serving {@code video} on a free port; returns once it listens. */
    static RtspCamera start(Path video, String user, String password) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        RtspCamera c = new RtspCamera(video, port, user, password);
        c.restart();
        return c;
    }

    /** The URL a viewer uses, with the credentials. */
    String url() {
        return "rtsp://" + user + ":" + password + "@127.0.0.1:" + port + "/cam";
    }

    /** Kills the server at once (SIGKILL), as a power cut or crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts the server again on the same port. */
    void restart() throws IOException {
        Path script = Path.of("..", "bin", "rtsp-camera.py").toAbsolutePath().normalize();
        process =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                script.toString(),
                                "--port",
                                String.valueOf(port),
                                "--user",
                                user,
                                "--password",
                                password,
                                video.toString())
                        .redirectErrorStream(true)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("ready ")) {
            process.destroyForcibly();
            throw new IOException(
                    "the RTSP camera did not start (run deploy/bin/install-rtsp-server.sh): "
                            + line);
        }
        // Keep draining its output so it never blocks on a full pipe.
        Thread drain =
                new Thread(
                        () -> {
                            try {
                                while (out.readLine() != null) {
                                    // discarded
                                }
                            } catch (IOException ignored) {
                                // the process is gone
                            }
                        },
                        "rtsp-camera-output");
        drain.setDaemon(true);
        drain.start();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}
