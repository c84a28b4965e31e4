package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.local.cluster.ClusterCommand;
import io.vigil.local.cluster.FlinkRest;
import io.vigil.local.cluster.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil cluster up|status|down} as an operator runs it: up returns with every process
 * running, the job submitted and the console answering; status reports them; down stops them all
 * and leaves nothing running.
 */
class ClusterCommandITCase {
    @Test
    void upStatusDown(@TempDir Path work) throws Exception {
        Path dir = work.resolve("cluster");
        String upOut;
        try {
            Run up = run("up", "--dir", dir.toString());
            upOut = up.out;
            assertThat(up.rc).as(up.out).isZero();
            assertThat(upOut).contains("Vigil cluster up in", "analyst", "reviewer1", "admin");

            Properties state = new Properties();
            try (InputStream in = Files.newInputStream(dir.resolve("cluster.properties"))) {
                state.load(in);
            }
            FlinkRest rest = new FlinkRest(state.getProperty("rest"));
            assertThat(rest.taskManagers()).isEqualTo(2);
            assertThat(rest.runningJobs()).hasSize(1);
            Matcher console = Pattern.compile("Console +http://([0-9.:]+)/").matcher(upOut);
            assertThat(console.find()).as(upOut).isTrue();
            assertThat(httpStatus("http://" + console.group(1) + "/")).isBetween(200, 399);

            Run status = run("status", "--dir", dir.toString());
            assertThat(status.rc).as(status.out).isZero();
            assertThat(status.out)
                    .contains("kafka3   running", "tm2      running", "console  running")
                    .contains("2 TaskManagers")
                    .contains("1 jobs running");
            // A second up refuses to start over a running cluster.
            assertThat(run("up", "--dir", dir.toString()).rc).isEqualTo(1);

            // Rehearsing by hand: a TaskManager killed leaves the cluster and rejoins once
            // started again.
            assertThat(run("kill", "tm2", "--dir", dir.toString()).rc).isZero();
            LocalCluster.await(() -> rest.taskManagers() == 1, Duration.ofMinutes(1), "tm2 gone");
            assertThat(run("start", "tm2", "--dir", dir.toString()).rc).isZero();
            assertThat(run("start", "tm2", "--dir", dir.toString()).rc).isEqualTo(1);
            LocalCluster.await(() -> rest.taskManagers() == 2, Duration.ofMinutes(1), "tm2 back");
            if (!upOut.contains("each process in its own network namespace")) {
                // Loopback fallback (not root, no iproute2): no link to cut.
                assertThat(run("cut", "console", "--dir", dir.toString()).rc).isNotZero();
                return;
            }
            assertThat(run("partition", "tm2", "jm", "--dir", dir.toString()).rc).isZero();
            assertThat(shell("ip", "-n", "vigil-tm2", "route", "show")).contains("blackhole");
            assertThat(run("heal", "tm2", "jm", "--dir", dir.toString()).rc).isZero();
            assertThat(shell("ip", "-n", "vigil-tm2", "route", "show")).doesNotContain("blackhole");
            assertThat(run("cut", "console", "--dir", dir.toString()).rc).isZero();
            assertThat(shell("ip", "-o", "link", "show", "vigil-console")).contains("state DOWN");
            assertThat(run("heal", "console", "--dir", dir.toString()).rc).isZero();
            assertThat(shell("ip", "-o", "link", "show", "vigil-console"))
                    .doesNotContain("state DOWN");
        } finally {
            Run down = run("down", "--dir", dir.toString());
            assertThat(down.rc).as(down.out).isZero();
        }
        Run after = run("status", "--dir", dir.toString());
        assertThat(after.rc).isEqualTo(3);
        assertThat(after.out).doesNotContain("running, pid");
    }

    private record Run(int rc, String out) {}

    private static Run run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            int rc = new CommandLine(new ClusterCommand()).execute(args);
            return new Run(rc, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
            System.out.print(buf.toString(StandardCharsets.UTF_8));
        }
    }

    private static String shell(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static int httpStatus(String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(3000);
        c.setReadTimeout(5000);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }
}
