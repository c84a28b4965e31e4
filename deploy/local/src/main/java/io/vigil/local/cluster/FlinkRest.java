package io.vigil.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The JobManager's REST API, as an operator or CI pipeline uses it: upload the shaded job jar, run
 * it, follow the job, stop it with a savepoint. The endpoints and fields are Flink's documented
 * ones (flink-runtime-web's {@code /jars} handlers and the {@code /jobs} API).
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public FlinkRest(String hostAndPort) {
        this.base = URI.create("http://" + hostAndPort + "/");
    }

    /** {@code GET /overview}; empty while the JobManager does not answer. */
    public Optional<JsonNode> overview() {
        try {
            return Optional.of(get("overview"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Registered TaskManagers, from {@code /overview}; 0 while the JobManager does not answer. */
    public int taskManagers() {
        return overview().map(o -> o.path("taskmanagers").asInt()).orElse(0);
    }

    /** {@code POST /jars/upload}: the jar as a multipart file; returns the jar id. */
    public String uploadJar(Path jar) throws IOException {
        String boundary = "vigil-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\";"
                                + " filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode r =
                send(
                        HttpRequest.newBuilder(base.resolve("jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
                        Duration.ofMinutes(2));
        String file = r.path("filename").asText();
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /**
     * {@code POST /jars/{id}/run}: the job's {@code main()} runs on the JobManager with {@code
     * args}; restored from {@code savepoint} when given. Returns the job id.
     */
    public String run(String jarId, List<String> args, int parallelism, String savepoint)
            throws IOException {
        ObjectNode req = JSON.createObjectNode();
        req.putPOJO("programArgsList", args);
        req.put("parallelism", parallelism);
        if (savepoint != null) {
            req.put("savepointPath", savepoint);
            req.put("allowNonRestoredState", false);
        }
        JsonNode r =
                send(
                        HttpRequest.newBuilder(base.resolve("jars/" + enc(jarId) + "/run"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(req.toString())),
                        Duration.ofMinutes(3));
        return r.path("jobid").asText();
    }

    /** The job's state (RUNNING, RESTARTING, ...); empty when the JobManager does not know it. */
    public Optional<String> jobState(String jobId) {
        try {
            return Optional.of(get("jobs/" + jobId).path("state").asText());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the job runs with every task of every operator deployed and running. */
    public boolean allTasksRunning(String jobId) throws IOException {
        JsonNode j = get("jobs/" + jobId);
        if (!j.path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode v : j.path("vertices")) {
            if (!v.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    /** The TaskManagers (their resource ids) that run tasks of the job now. */
    public List<String> taskManagersOf(String jobId) throws IOException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (JsonNode v : get("jobs/" + jobId).path("vertices")) {
            JsonNode tms =
                    get("jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers");
            for (JsonNode tm : tms.path("taskmanagers")) {
                out.add(tm.path("taskmanager-id").asText());
            }
        }
        return List.copyOf(out);
    }

    /**
     * The job's state, its vertices' states and the newest failure it recorded ({@code
     * /jobs/{id}/exceptions}), first lines only: what a test reports when a job does not recover.
     */
    public String diagnose(String jobId) {
        StringBuilder b = new StringBuilder();
        try {
            JsonNode j = get("jobs/" + jobId);
            b.append("job ").append(j.path("state").asText()).append(";");
            for (JsonNode v : j.path("vertices")) {
                b.append(' ')
                        .append(v.path("name").asText())
                        .append('=')
                        .append(v.path("status").asText());
            }
            JsonNode history =
                    get("jobs/" + jobId + "/exceptions?maxExceptions=3")
                            .path("exceptionHistory")
                            .path("entries");
            for (JsonNode e : history) {
                String trace = e.path("stacktrace").asText();
                b.append("\nfailure on ")
                        .append(e.path("taskManagerId").asText("?"))
                        .append(": ")
                        .append(String.join("\n", trace.lines().limit(12).toList()));
            }
        } catch (IOException | RuntimeException e) {
            b.append(" (REST: ").append(e).append(')');
        }
        return b.toString();
    }

    /** Ids of the jobs the JobManager runs now. */
    public List<String> runningJobs() throws IOException {
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode j : get("jobs").path("jobs")) {
            if (j.path("status").asText().equals("RUNNING")) {
                ids.add(j.path("id").asText());
            }
        }
        return ids;
    }

    /** How often the job restarted, from {@code /jobs/{id}}'s restart count metric. */
    public long restarts(String jobId) throws IOException {
        JsonNode m = get("jobs/" + jobId + "/metrics?get=numRestarts");
        for (JsonNode v : m) {
            return v.path("value").asLong();
        }
        return 0;
    }

    /** The latest completed checkpoint's external path, if any. */
    public Optional<String> latestCheckpoint(String jobId) throws IOException {
        JsonNode c = get("jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        return c.isMissingNode() || c.isNull()
                ? Optional.empty()
                : Optional.of(c.path("external_path").asText());
    }

    /** Completed checkpoints of the job so far. */
    public long completedCheckpoints(String jobId) throws IOException {
        return get("jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** The job's user accumulators (name to value). */
    public Map<String, Long> accumulators(String jobId) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (JsonNode a : get("jobs/" + jobId + "/accumulators").path("user-task-accumulators")) {
            try {
                out.put(a.path("name").asText(), Long.parseLong(a.path("value").asText()));
            } catch (NumberFormatException e) {
                // Not a counter.
            }
        }
        return out;
    }

    /**
     * {@code POST /jobs/{id}/stop}: stop-with-savepoint into {@code dir}; waits for the savepoint
     * and returns its path.
     */
    public String stopWithSavepoint(String jobId, String dir, Duration max) throws IOException {
        ObjectNode req = JSON.createObjectNode();
        req.put("targetDirectory", dir);
        req.put("drain", false);
        JsonNode r =
                send(
                        HttpRequest.newBuilder(base.resolve("jobs/" + jobId + "/stop"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(req.toString())),
                        Duration.ofSeconds(30));
        String trigger = r.path("request-id").asText();
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode s = get("jobs/" + jobId + "/savepoints/" + trigger);
            if (s.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode op = s.path("operation");
                if (op.has("failure-cause")) {
                    throw new IOException(
                            "stop-with-savepoint failed: "
                                    + op.path("failure-cause").path("stack-trace").asText());
                }
                return op.path("location").asText();
            }
            sleep(500);
        }
        throw new IOException("stop-with-savepoint of " + jobId + " did not finish in " + max);
    }

    /** {@code PATCH /jobs/{id}}: cancels the job. */
    public void cancel(String jobId) throws IOException {
        send(
                HttpRequest.newBuilder(base.resolve("jobs/" + jobId))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody()),
                Duration.ofSeconds(30));
    }

    private JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), Duration.ofSeconds(10));
    }

    private JsonNode send(HttpRequest.Builder request, Duration timeout) throws IOException {
        try {
            HttpResponse<String> r =
                    http.send(
                            request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException(
                        r.request().method()
                                + " "
                                + r.uri()
                                + " answered "
                                + r.statusCode()
                                + ": "
                                + r.body());
            }
            return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}
