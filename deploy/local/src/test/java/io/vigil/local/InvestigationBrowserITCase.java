package io.vigil.local;

import static io.vigil.local.ConsoleBrowserITCase.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.Console;
import io.vigil.console.ConsoleConfig;
import io.vigil.console.Role;
import io.vigil.console.Users;
import io.vigil.tools.Vigil;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.settings.GallerySettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Investigation search in a real headless Chromium at a phone's size: an investigator searches the
 * gallery with a photo and a case number, sees ranked candidates under the lead-only banner and
 * records an outcome; an analyst may not search; the admin's report shows the search and its
 * outcome.
 */
class InvestigationBrowserITCase {

    @Test
    void anInvestigatorSearchesOnAPhoneAndTheAdminSeesTheSearch(@TempDir Path work)
            throws Exception {
        Path photos = work.resolve("bookings");
        Files.createDirectories(photos);
        for (String f : List.of("franck_01829.jpg", "cage.jpg", "audrey.jpg", "SeanConnery.jpg")) {
            Files.copy(AssetPaths.media(f), photos.resolve(f));
        }
        Path manifest = work.resolve("bookings.csv");
        Files.writeString(
                manifest,
                "booking_id,photo,booking_date,agency,source_system,purge_at,purge_on_request\n"
                        + "B-1001,franck_01829.jpg,2025-03-02,County Sheriff,JMS-7,2032-01-01,\n"
                        + "B-1002,cage.jpg,2024-11-20,County Sheriff,JMS-7,,true\n"
                        + "B-1003,audrey.jpg,2023-06-01,City Police,RMS,2031-06-01,\n"
                        + "B-1004,SeanConnery.jpg,2022-01-15,County Sheriff,JMS-7,2030-01-15,\n");
        Path users = work.resolve("users.txt");
        Files.write(
                users,
                List.of(
                        Users.line("det-jones", Role.INVESTIGATOR, PASSWORD.toCharArray(), 1000),
                        Users.line("analyst", Role.ANALYST, PASSWORD.toCharArray(), 1000),
                        Users.line("admin", Role.ADMIN, PASSWORD.toCharArray(), 1000)));
        Files.createDirectories(ConsoleBrowserITCase.SHOTS);
        try (LocalStack stack = LocalStack.start(work.resolve("stack"), Map.of(), 1)) {
            Map<String, Object> props = new HashMap<>(stack.config().originals());
            props.put(GallerySettings.GALLERY_DIR, work.resolve("gallery").toString());
            Path config = work.resolve("vigil.properties");
            Properties p = new Properties();
            props.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
            try (Writer w = Files.newBufferedWriter(config)) {
                p.store(w, null);
            }
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(
                            Vigil.run(
                                    new PrintStream(new ByteArrayOutputStream(), true),
                                    new PrintStream(err, true, StandardCharsets.UTF_8),
                                    "gallery",
                                    "--config",
                                    config.toString(),
                                    "import",
                                    "--manifest",
                                    manifest.toString(),
                                    "--photos",
                                    photos.toString(),
                                    "--by",
                                    "records-clerk",
                                    "--report",
                                    work.resolve("report.jsonl").toString()))
                    .as(err.toString(StandardCharsets.UTF_8))
                    .isZero();
            props.put(ConsoleConfig.USERS_FILE, users.toString());
            props.put(ConsoleConfig.BIND, "127.0.0.1:0");
            try (Console console = Console.start(new ConsoleConfig(props))) {
                String url = "http://127.0.0.1:" + console.port() + "/";
                WebDriver b = ConsoleBrowserITCase.chromium(work.resolve("chrome-profile"));
                try {
                    b.manage().window().setSize(new Dimension(390, 844));
                    run(b, url);
                } finally {
                    b.quit();
                }
            }
        }
    }

    private static void run(WebDriver b, String url) throws Exception {
        WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(30));
        JavascriptExecutor js = (JavascriptExecutor) b;
        b.get(url);
        ConsoleBrowserITCase.login(b, wait, "analyst");
        assertThat(b.findElement(By.id("tab-search")).isDisplayed()).isFalse();
        assertThat(ConsoleBrowserITCase.status(js, "POST", "search")).isEqualTo(403);
        ConsoleBrowserITCase.logout(b, wait);

        ConsoleBrowserITCase.login(b, wait, "det-jones");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("search-form")));
        assertThat(b.findElement(By.cssSelector("button[data-page=alerts]")).isDisplayed())
                .as("an investigator sees the search only")
                .isFalse();
        assertThat(b.findElement(By.id("search-photo")).getAttribute("capture"))
                .isEqualTo("environment");
        b.findElement(By.id("search-case")).sendKeys("CASE-2026-0412");
        b.findElement(By.id("search-reason")).sendKeys("robbery suspect, store camera still");
        b.findElement(By.id("search-photo"))
                .sendKeys(AssetPaths.media("franck_02683.jpg").toAbsolutePath().toString());
        b.findElement(By.id("search-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".candidate")));
        assertThat(b.findElement(By.cssSelector("#search-result .banner")).getText())
                .contains("not an identification");
        assertThat(b.findElement(By.cssSelector(".candidate")).getAttribute("data-booking-id"))
                .isEqualTo("B-1001");
        assertThat(b.findElement(By.cssSelector(".candidate")).getText())
                .contains("#1")
                .contains("County Sheriff");
        wait.until(
                d ->
                        (Boolean)
                                js.executeScript(
                                        "const i = document.querySelector('.candidate img'); return"
                                                + " i && i.complete && i.naturalWidth > 0;"));
        assertThat(
                        ((Number) js.executeScript("return document.documentElement.scrollWidth;"))
                                .intValue())
                .isLessThanOrEqualTo(390);
        ConsoleBrowserITCase.shot(b, "search-mobile");
        new org.openqa.selenium.support.ui.Select(b.findElement(By.id("search-outcome")))
                .selectByValue("CORROBORATED");
        b.findElement(By.id("search-note")).sendKeys("matched the store receipt");
        b.findElement(By.id("record-outcome")).click();
        wait.until(ExpectedConditions.textToBe(By.id("search-outcome-done"), "recorded"));
        // A search without a case number is refused.
        b.findElement(By.id("search-case")).clear();
        b.findElement(By.id("search-case")).sendKeys("x");
        b.findElement(By.id("search-button")).click();
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("search-error"), "case number"));
        ConsoleBrowserITCase.logout(b, wait);

        b.manage().window().setSize(new Dimension(1280, 900));
        ConsoleBrowserITCase.login(b, wait, "admin");
        b.findElement(By.cssSelector("button[data-page=stats]")).click();
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("stats-search-users"), "det-jones"));
        String row =
                b.findElement(By.cssSelector("#stats-search-users tr[data-user=det-jones]"))
                        .getText();
        // det-jones 1 search, 1 refused, 1 corroborated.
        assertThat(row).startsWith("det-jones 1 1 1");
        assertThat(b.findElement(By.id("stats-search-cases")).getText()).contains("CASE-2026-0412");
        ConsoleBrowserITCase.shot(b, "search-report");
    }
}
