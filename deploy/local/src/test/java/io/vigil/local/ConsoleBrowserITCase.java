package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.common.audit.AuditExport;
import io.vigil.common.kafka.Topic;
import io.vigil.common.kafka.TopicReplay;
import io.vigil.console.Console;
import io.vigil.console.ConsoleConfig;
import io.vigil.console.Role;
import io.vigil.console.Users;
import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.job.JobSettings;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.Frame;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.SettledAlert;
import io.vigil.vision.model.AssetPaths;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's, through chromedriver) on the real pipeline: a
 * reviewer sees a live alert arrive without reloading and rejects it as a different person, a
 * second reviewer confirms it, so it goes to adjudication, which the admin settles from the
 * keyboard; the settled-alerts topic then holds exactly one record with the three decisions, the
 * review accounting shows each reviewer's agreement, the queue fits a phone's width, and the audit
 * log holds every decision; an analyst cannot enrol and a logged-out page sees nothing. Screenshots
 * of each page go to {@code target/console-screenshots}.
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
                // Every reference face a reviewer saw was audited, by who saw it; no analyst did.
                assertThat(events)
                        .filteredOn(e -> e.getType() == AuditEventType.REFERENCE_VIEWED)
                        .extracting(AuditEvent::getActor)
                        .contains("reviewer1", "reviewer2", "admin")
                        .doesNotContain("analyst");
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
                                AuditEventType.REFERENCE_VIEWED,
                                AuditEventType.ALERT_RAISED,
                                AuditEventType.JOB_STARTED,
                                AuditEventType.WATCHLIST_LIST,
                                AuditEventType.AUDIT_EXPORT);
                assertThat(console.metrics().scrape())
                        .contains(
                                "vigil_console_reviews_total{decision=\"CONFIRM\",category=\"SAME_PERSON\"}"
                                    + " 2")
                        .contains(
                                "vigil_console_reviews_total{decision=\"REJECT\",category=\"DIFFERENT_PERSON\"}"
                                    + " 1")
                        .contains("vigil_console_reviewer_agreement{reviewer=\"reviewer2\"} 1.0")
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
                .contains("TEST-CASE-7")
                .contains("entry expires " + LocalDate.now(ZoneOffset.UTC).plusDays(1));
        wait.until(
                d ->
                        (Boolean)
                                js.executeScript(
                                        "const i = document.querySelector('.alert img'); return i"
                                                + " && i.complete && i.naturalWidth > 0;"));
        // Each frame beside the enrolled face it matched; click to enlarge.
        wait.until(
                d ->
                        (Boolean)
                                js.executeScript(
                                        "const r = document.querySelector('.alert img.reference');"
                                            + " return r && r.complete && r.naturalWidth > 0;"));
        assertThat(b.findElements(By.cssSelector(".alert .pair")))
                .as("the best frame and up to three more")
                .hasSizeBetween(2, 4);
        assertThat(b.findElement(By.cssSelector(".alert .pair figcaption")).getText())
                .contains("best frame")
                .contains("similarity");
        shot(b, "alerts");
        b.findElement(By.cssSelector(".alert .pair")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lightbox")));
        assertThat(b.findElements(By.cssSelector("#lightbox img"))).hasSize(2);
        shot(b, "alert-enlarged");
        b.findElement(By.id("lightbox")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("lightbox")));

        // The two reviewers disagree: the alert goes to adjudication.
        review(b, wait, "REJECT", "different nose and jaw");
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector(".alert"), "1/2 reviewers"));
        assertThat(b.findElement(By.cssSelector(".alert [data-testid=status]")).getText())
                .isEqualTo("PENDING");
        assertThat(b.findElement(By.cssSelector(".alert")).getText())
                .contains("reviewer1 rejected (different person): different nose and jaw");
        assertThat(b.findElements(By.cssSelector(".alert button.confirm")))
                .as("reviewer1 decided")
                .isEmpty();
        logout(b, wait);

        login(b, wait, "reviewer2");
        wait.until(
                ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector(".alert button.confirm")));
        review(b, wait, "CONFIRM", "same person, scar on the chin");
        wait.until(
                ExpectedConditions.textToBe(
                        By.cssSelector(".alert [data-testid=status]"), "ADJUDICATION"));
        shot(b, "alert-adjudication");
        logout(b, wait);

        // The admin settles it from the keyboard: select, reason, Escape, then c.
        login(b, wait, "admin");
        wait.until(
                ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector(".alert button.confirm")));
        assertThat(b.findElement(By.id("queue-summary")).getText()).contains("1 waiting");
        b.findElement(By.tagName("body")).sendKeys("j");
        assertThat(b.findElement(By.cssSelector(".alert")).getAttribute("class"))
                .contains("selected");
        b.findElement(By.tagName("body")).sendKeys("c");
        wait.until(d -> d.switchTo().activeElement().getAttribute("class").contains("reason"));
        b.switchTo().activeElement().sendKeys("case photo 2 shows the same scar");
        b.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        b.findElement(By.tagName("body")).sendKeys("c");
        // Settled, it leaves the queue of waiting alerts.
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".alert")));
        new Select(b.findElement(By.id("filter-status"))).selectByValue("ALL");
        wait.until(
                ExpectedConditions.textToBe(
                        By.cssSelector(".alert [data-testid=status]"), "CONFIRMED"));
        assertThat(b.findElement(By.cssSelector(".alert")).getText())
                .contains("settled by admin (adjudication)");
        shot(b, "alert-confirmed");

        // Downstream sees exactly one settled record, with all three decisions.
        List<SettledAlert> settled = new ArrayList<>();
        TopicReplay.fromBeginning(
                stack.config().kafka(),
                stack.config().kafkaSettings().topic(Topic.ALERTS_SETTLED),
                r -> settled.add(decodeSettled(r.value())));
        assertThat(settled).hasSize(1);
        SettledAlert s = settled.get(0);
        assertThat(s.getOutcome()).isEqualTo(ReviewStatus.CONFIRMED);
        assertThat(s.getAdjudicated()).isTrue();
        assertThat(s.getSettledBy()).isEqualTo("admin");
        assertThat(s.getDecisions())
                .extracting(d -> d.getReviewer() + " " + d.getDecision() + " " + d.getCategory())
                .containsExactly(
                        "reviewer1 REJECT DIFFERENT_PERSON",
                        "reviewer2 CONFIRM SAME_PERSON",
                        "admin CONFIRM SAME_PERSON");
        assertThat(s.getAlert().getExternalId()).isEqualTo("demo-franck");

        // Reviewer accounting: each reviewer's agreement with the settled outcome.
        b.findElement(By.cssSelector("button[data-page=stats]")).click();
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("stats-reviewers"), "reviewer1"));
        assertThat(
                        b.findElement(
                                        By.cssSelector(
                                                "#stats-reviewers tr[data-reviewer=reviewer1]"))
                                .getText())
                .contains("0 %");
        assertThat(
                        b.findElement(
                                        By.cssSelector(
                                                "#stats-reviewers tr[data-reviewer=reviewer2]"))
                                .getText())
                .contains("100 %");
        assertThat(b.findElement(By.id("stats-cameras")).getText()).contains(CAMERA);
        shot(b, "review-stats");

        // The queue on a phone-sized screen.
        Dimension wide = b.manage().window().getSize();
        b.manage().window().setSize(new Dimension(390, 844));
        b.findElement(By.cssSelector("button[data-page=alerts]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".alert")));
        assertThat(
                        ((Number) js.executeScript("return document.documentElement.scrollWidth;"))
                                .intValue())
                .as("no horizontal scrolling")
                .isLessThanOrEqualTo(390);
        shot(b, "queue-narrow");
        b.manage().window().setSize(wide);

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
                .hasSize(3);
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

    static long status(JavascriptExecutor js, String method, String path) {
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

    static void login(WebDriver b, WebDriverWait wait, String user) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user")));
        b.findElement(By.id("user")).clear();
        b.findElement(By.id("user")).sendKeys(user);
        b.findElement(By.id("password")).sendKeys(PASSWORD);
        b.findElement(By.id("login-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("whoami"), user));
    }

    static void logout(WebDriver b, WebDriverWait wait) {
        b.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    }

    private static SettledAlert decodeSettled(byte[] value) {
        try {
            return SettledAlert.getDecoder().decode(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void review(WebDriver b, WebDriverWait wait, String decision, String reason) {
        WebElement card = b.findElement(By.cssSelector(".alert"));
        card.findElement(By.cssSelector("input.reason")).sendKeys(reason);
        card.findElement(
                        By.cssSelector(
                                decision.equals("CONFIRM") ? "button.confirm" : "button.reject"))
                .click();
    }

    static void shot(WebDriver b, String name) throws Exception {
        Files.write(
                SHOTS.resolve(name + ".png"), ((ChromeDriver) b).getScreenshotAs(OutputType.BYTES));
    }

    static WebDriver chromium(Path profile) {
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
