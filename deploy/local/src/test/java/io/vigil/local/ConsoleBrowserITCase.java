package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.common.audit.AuditExport;
import io.vigil.console.Console;
import io.vigil.console.ConsoleConfig;
import io.vigil.console.Role;
import io.vigil.console.Users;
import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.job.JobSettings;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.Frame;
import io.vigil.vision.model.AssetPaths;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's, through chromedriver) on the real pipeline: a
 * reviewer sees a live alert arrive without reloading, two reviewers confirm it, the admin sees
 * both decisions in the audit log; an analyst cannot enrol and a logged-out page sees nothing.
 * Screenshots of each page go to {@code target/console-screenshots}.
 */
class ConsoleBrowserITCase {
    static final String CAMERA = "cam-franck";
    static final String PASSWORD = "browser test password";
    static final Path SHOTS = Path.of("target", "console-screenshots");

    @Test
    void liveAlertTwoReviewersAuditAndRoles(@TempDir Path work) throws Exception {
        Path users = work.resolve("users.txt");
        Files.write(
                users,
                List.of(
                        Users.line("analyst", Role.ANALYST, PASSWORD.toCharArray(), 1000),
                        Users.line("reviewer1", Role.REVIEWER, PASSWORD.toCharArray(), 1000),
                        Users.line("reviewer2", Role.REVIEWER, PASSWORD.toCharArray(), 1000),
                        Users.line("admin", Role.ADMIN, PASSWORD.toCharArray(), 1000)));
        Files.createDirectories(SHOTS);
        int prometheus;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            prometheus = free.getLocalPort();
        }
        try (LocalStack stack =
                LocalStack.start(
                        work,
                        Map.of(
                                JobSettings.PARALLELISM,
                                "2",
                                JobSettings.METRICS_PROMETHEUS_PORT,
                                String.valueOf(prometheus)),
                        2)) {
            stack.registerCameras(CAMERA);
            stack.enroll(
                    DemoWatchlist.prepare(AssetPaths.root(), work.resolve("photos")),
                    "it-admin",
                    "TEST-CASE-7",
                    Instant.now().plus(Duration.ofDays(1)),
                    LocalStack.TEST_PURPOSES);
            Map<String, Object> props = new HashMap<>(stack.config().originals());
            props.put(ConsoleConfig.USERS_FILE, users.toString());
            props.put(ConsoleConfig.BIND, "127.0.0.1:0");
            try (Console console = Console.start(new ConsoleConfig(props))) {
                String url = "http://127.0.0.1:" + console.port() + "/";
                WebDriver browser = chromium(work.resolve("chrome-profile"));
                try {
                    run(browser, url, stack);
                } finally {
                    browser.quit();
                }
                // A sample of the audit log, one line per event, for the list of types in
                // docs/audit.md.
                List<AuditEvent> events =
                        AuditExport.read(
                                stack.config().kafka(),
                                stack.config().auditTopic(),
                                Instant.EPOCH,
                                Instant.now().plusSeconds(1),
                                java.util.Set.of());
                Files.write(
                        SHOTS.resolve("audit-sample.jsonl"),
                        events.stream().map(AuditExport::json).toList());
                assertThat(events)
                        .extracting(AuditEvent::getType)
                        .contains(
                                AuditEventType.USER_LOGIN_FAILED,
                                AuditEventType.USER_LOGIN,
                                AuditEventType.ACCESS_DENIED,
                                AuditEventType.REVIEW_DECISION,
                                AuditEventType.ALERT_RAISED,
                                AuditEventType.JOB_STARTED,
                                AuditEventType.WATCHLIST_LIST,
                                AuditEventType.AUDIT_EXPORT);
                assertThat(console.metrics().scrape())
                        .contains("vigil_console_reviews_total{decision=\"CONFIRM\"} 2")
                        .contains("vigil_console_logins_total{result=\"ok\"}");
                // Flink's Prometheus reporter: per-camera frames, dead letters by reason, stage
                // times.
                String flink =
                        java.net.http.HttpClient.newHttpClient()
                                .send(
                                        java.net.http.HttpRequest.newBuilder(
                                                        java.net.URI.create(
                                                                "http://127.0.0.1:"
                                                                        + prometheus
                                                                        + "/metrics"))
                                                .build(),
                                        java.net.http.HttpResponse.BodyHandlers.ofString())
                                .body();
                assertThat(flink)
                        // The reporter writes '-' in label values as '_'.
                        .containsPattern(
                                "camera_frames_decoded\\{[^}]*camera=\"cam_franck\"[^}]*} 10\\.0")
                        .containsPattern(
                                "frames_dead_lettered_reason_count\\{[^}]*reason=\"UNKNOWN_CAMERA\"")
                        .containsPattern("faces_embedded\\{[^}]*} [1-9]")
                        .containsPattern("detect_embed_ms\\{[^}]*quantile=\"0\\.99\"")
                        .containsPattern("watchlist_search_us\\{[^}]*quantile=\"0\\.5\"");
            }
        }
    }

    private void run(WebDriver b, String url, LocalStack stack) throws Exception {
        WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(20));
        JavascriptExecutor js = (JavascriptExecutor) b;

        // Logged out: the login form, and the API answers 401.
        b.get(url);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        assertThat(status(js, "GET", "alerts")).isEqualTo(401);
        assertThat(b.findElements(By.cssSelector(".alert"))).isEmpty();
        shot(b, "login");
        b.findElement(By.id("user")).sendKeys("reviewer1");
        b.findElement(By.id("password")).sendKeys("not the password");
        b.findElement(By.id("login-button")).click();
        wait.until(
                ExpectedConditions.textToBe(By.id("login-error"), "wrong user name or password"));
        b.findElement(By.id("password")).clear();

        login(b, wait, "reviewer1");
        wait.until(ExpectedConditions.textToBe(By.id("feed-state"), "live"));
        js.executeScript("window.notReloaded = true;");

        // Frames of the enrolled person reach the job now; the alert must arrive on its own.
        stack.submitJob(false);
        List<Frame> frames = SampleFrames.of(CAMERA, "franck.mp4", 10);
        try (KafkaFramePublisher publisher =
                new KafkaFramePublisher(
                        stack.bootstrapServers(), stack.config().framesTopic(), new Properties())) {
            frames.forEach(publisher::publish);
            publisher.flush();
        }
        WebElement alert =
                new WebDriverWait(b, Duration.ofSeconds(120))
                        .until(
                                ExpectedConditions.visibilityOfElementLocated(
                                        By.cssSelector(".alert")));
        assertThat(js.executeScript("return window.notReloaded === true;")).isEqualTo(true);
        assertThat(alert.getText())
                .contains("demo-franck")
                .contains("PENDING")
                .contains("TEST-CASE-7");
        wait.until(
                d ->
                        (Boolean)
                                js.executeScript(
                                        "const i = document.querySelector('.alert img'); return i"
                                                + " && i.complete && i.naturalWidth > 0;"));
        shot(b, "alerts");

        review(b, wait, "CONFIRM", "face and case photo agree");
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector(".alert"), "1/2 confirmations"));
        assertThat(b.findElement(By.cssSelector(".alert [data-testid=status]")).getText())
                .isEqualTo("PENDING");
        assertThat(b.findElements(By.cssSelector(".alert button.confirm")))
                .as("reviewer1 decided")
                .isEmpty();
        logout(b, wait);

        login(b, wait, "reviewer2");
        wait.until(
                ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector(".alert button.confirm")));
        review(b, wait, "CONFIRM", "agree, same person");
        wait.until(
                ExpectedConditions.textToBe(
                        By.cssSelector(".alert [data-testid=status]"), "CONFIRMED"));
        shot(b, "alert-confirmed");
        logout(b, wait);

        login(b, wait, "admin");
        b.findElement(By.cssSelector("button[data-page=audit]")).click();
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("audit"), "REVIEW_DECISION"));
        String audit = b.findElement(By.id("audit")).getText();
        assertThat(audit)
                .contains("reviewer1")
                .contains("reviewer2")
                .contains("ALERT_RAISED")
                .contains("WATCHLIST_ENROLL")
                .contains("CAMERA_REGISTERED")
                // The job start states the false alerts it expects for the watchlist's size.
                .containsPattern(
                        "expected false alerts per camera-hour [0-9.e+-]+ \\(95% bound"
                                + " [0-9.e+-]+\\) for [0-9]+ enrolled faces");
        assertThat(b.findElements(By.xpath("//tbody[@id='audit']/tr[td[2]='REVIEW_DECISION']")))
                .hasSize(2);
        shot(b, "audit");
        b.findElement(By.cssSelector("button[data-page=watchlist]")).click();
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("watchlist"), "demo-franck"));
        assertThat(b.findElement(By.id("enroll-form")).isDisplayed()).isTrue();
        shot(b, "watchlist");
        b.findElement(By.cssSelector("button[data-page=cameras]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cameras"), CAMERA));
        shot(b, "cameras");
        logout(b, wait);

        // An analyst sees alerts but no enrol form, and the API refuses an enrolment.
        login(b, wait, "analyst");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".alert")));
        assertThat(b.findElements(By.cssSelector(".alert button.confirm"))).isEmpty();
        b.findElement(By.cssSelector("button[data-page=watchlist]")).click();
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("watchlist"), "demo-franck"));
        assertThat(b.findElement(By.id("enroll-form")).isDisplayed()).isFalse();
        assertThat(status(js, "POST", "watchlist")).isEqualTo(403);
        assertThat(status(js, "GET", "audit")).isEqualTo(403);
        logout(b, wait);
        assertThat(status(js, "GET", "alerts")).isEqualTo(401);
    }

    private static long status(JavascriptExecutor js, String method, String path) {
        Object s =
                js.executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch('/api/' + arguments[1], {method: arguments[0], headers:"
                                + " {'X-Vigil-Request': '1', 'Content-Type': 'application/json'},"
                                + " body: arguments[0] === 'GET' ? undefined : '{}'})"
                                + ".then(r => done(r.status));",
                        method,
                        path);
        return ((Number) s).longValue();
    }

    private static void login(WebDriver b, WebDriverWait wait, String user) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user")));
        b.findElement(By.id("user")).clear();
        b.findElement(By.id("user")).sendKeys(user);
        b.findElement(By.id("password")).sendKeys(PASSWORD);
        b.findElement(By.id("login-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("whoami"), user));
    }

    private static void logout(WebDriver b, WebDriverWait wait) {
        b.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    }

    private static void review(WebDriver b, WebDriverWait wait, String decision, String reason) {
        WebElement card = b.findElement(By.cssSelector(".alert"));
        card.findElement(By.cssSelector("input.reason")).sendKeys(reason);
        card.findElement(
                        By.cssSelector(
                                decision.equals("CONFIRM") ? "button.confirm" : "button.reject"))
                .click();
    }

    private static void shot(WebDriver b, String name) throws Exception {
        Files.write(
                SHOTS.resolve(name + ".png"), ((ChromeDriver) b).getScreenshotAs(OutputType.BYTES));
    }

    private static WebDriver chromium(Path profile) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                        .usingAnyFreePort()
                        .build();
        return new ChromeDriver(service, o);
    }
}
