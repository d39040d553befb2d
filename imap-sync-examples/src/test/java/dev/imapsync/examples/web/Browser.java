package dev.imapsync.examples.web;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium for the browser tests: Debian's {@code chromium} driven through
 * {@code /usr/bin/chromedriver}, both named explicitly so that Selenium Manager never looks for
 * (or downloads) a browser or a driver. One per test class; {@link #close()} quits it and deletes
 * its profile. Tests that need it are skipped, saying why, when either program is missing
 * ({@code apt-get install chromium chromium-driver}, as {@code .ci/run} does).
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("imapsync.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("imapsync.test.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final WebDriver driver;
    private final Path profile;

    private Browser(WebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A started browser, or the calling test is skipped when Chromium or its driver is not installed. */
    static Browser start() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser tests skipped: no " + CHROMIUM + " or " + CHROMEDRIVER + " (install them with"
                        + " 'apt-get install -y chromium chromium-driver', as .ci/run does)");
        Path profile;
        try {
            profile = Files.createTempDirectory("imapsync-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1200,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().window().setSize(new Dimension(1200, 900));
        return new Browser(driver, profile);
    }

    WebDriver driver() {
        return driver;
    }

    /** Saves the page as {@code target/screenshots/NAME.png}, the whole page high. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Object height = ((ChromeDriver) driver).executeScript("return document.documentElement.scrollHeight");
            int h = Math.min(3000, Math.max(600, ((Number) height).intValue() + 200));
            driver.manage().window().setSize(new Dimension(1200, h));
            File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            driver.manage().window().setSize(new Dimension(1200, 900));
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(png.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary profile: the OS cleans it up in the end
            }
        }
    }
}
