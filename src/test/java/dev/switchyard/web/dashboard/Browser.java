package dev.switchyard.web.dashboard;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}), driven by Selenium. The driver
 * is started from its fixed path, so Selenium Manager never looks for (or downloads) a browser or a driver; each
 * browser gets a fresh profile folder, removed on close.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Generous: CI machines are small and shared; waits end as soon as their condition holds. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriverService service, ChromeDriver driver, Path profile) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM);
    }

    static Browser start() throws IOException {
        if (!Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException(CHROMIUM + " is installed but " + CHROMEDRIVER + " is not: apt-get install chromium-driver");
        }
        Path profile = Files.createTempDirectory("switchyard-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(new File("target/chromedriver.log")).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1366,900", "--lang=en-US");
        try {
            service.start();
            return new Browser(service, new ChromeDriver(service, options), profile);
        } catch (RuntimeException | IOException e) {
            service.stop();
            delete(profile);
            throw e;
        }
    }

    <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, PATIENCE, Duration.ofMillis(100)).until(condition);
    }

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** The whole page at this width (the window is made as tall as the page), saved as {@code target/screenshots/NAME.png}. */
    Path screenshot(String name, int width) throws IOException {
        driver.manage().window().setSize(new Dimension(width, 900));
        long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        long chrome = ((Number) js("return window.outerHeight - window.innerHeight")).longValue(); // the window's own bars
        driver.manage().window().setSize(new Dimension(width, (int) Math.min(height + chrome, 8000)));
        js("window.scrollTo(0, 0)");
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Path file = dir.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp profile is harmless
        }
    }
}
