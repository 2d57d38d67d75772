package dev.switchyard.web.dashboard;

import static dev.switchyard.web.dashboard.DashboardFixture.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.accounting.UsageRecord;
import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real headless Chromium, against a gateway with simulated providers: one that always fails
 * (so there are failovers, errors and an open breaker), two that answer. Known traffic goes through the client API,
 * plus two older records written straight to the ledger so the ranges differ. Every figure the page shows is
 * checked against the usage API's answer; the page's own raw values sit in data-value attributes beside the text.
 */
class DashboardBrowserTest {
    private static final String CONFIG = """
            server: { host: 127.0.0.1, port: 0 }
            auth:
              admin_key: admin-secret
              keys:
                - { name: team-a, key: sk-team-a }
                - { name: team-b, key: sk-team-b }
            providers:
              down: { type: simulated, simulate: { first_token: 1ms, failure_rate: 1, failure: status, failure_status: 503 } }
              steady: { type: simulated, simulate: { first_token: 3ms, tokens_per_second: 0, output_tokens: 12 } }
              fast: { type: simulated, simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 5 } }
            models:
              chat: { targets: [down/sim-large, steady/sim-medium] }
              quick: { targets: [fast/sim-small] }
              broken: { targets: [down/sim-large] }
            routing:
              # three failures in a row open the breaker, and it stays open for the whole test
              breaker: { consecutive_failures: 3, error_rate: 1.0, window: 1000, open_for: 30m, max_open_for: 30m }
            pricing:
              overrides:
                down/sim-large: { input_per_mtok: 3, output_per_mtok: 15 }
                steady/sim-medium: { input_per_mtok: 0.5, output_per_mtok: 1.5 }
                fast/sim-small: { input_per_mtok: 0.1, output_per_mtok: 0.4 }
            store: { url: "sqlite:%s" }
            """;
    private static final long HOUR = 3_600_000L;

    @TempDir
    static Path dir;
    private static DashboardFixture gw;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Browser.installed(), "no Chromium at " + Browser.CHROMIUM + " (CI installs it)");
        gw = DashboardFixture.start(CONFIG, dir);
        // two requests fail over from 'down' to 'steady'; then one fails on 'down' alone: three failures open its breaker
        assertThat(gw.chat("sk-team-a", "chat-1", "chat", false)).isEqualTo(200);
        assertThat(gw.chat("sk-team-a", "chat-2", "chat", true)).isEqualTo(200);
        assertThat(gw.chat("sk-team-b", "broken-1", "broken", false)).isEqualTo(503);
        for (int i = 1; i <= 3; i++) assertThat(gw.chat("sk-team-b", "quick-s" + i, "quick", true)).isEqualTo(200);
        for (int i = 1; i <= 3; i++) assertThat(gw.chat("sk-team-a", "quick-" + i, "quick", false)).isEqualTo(200);
        assertThat(gw.chat("sk-team-a", "chat-3", "chat", false)).isEqualTo(200); // 'down' is skipped now, its breaker open
        assertThat(gw.chat("sk-team-b", "broken-2", "broken", false)).isEqualTo(503);
        gw.awaitRecorded(11);
        long now = System.currentTimeMillis();
        gw.accounting.ledger().accept(old("old-3h", now - 3 * HOUR, "team-a", "quick", "fast", "sim-small", "0.001"));
        gw.accounting.ledger().accept(old("old-2d", now - 48 * HOUR, "team-b", "chat", "steady", "sim-medium", "0.002"));
        gw.accounting.ledger().flush().get(20, java.util.concurrent.TimeUnit.SECONDS);
        browser = Browser.start();
    }

    private static UsageRecord old(String id, long ts, String key, String route, String provider, String model, String cost) {
        Usage u = new Usage(400, 0, 0, 100, 0);
        return new UsageRecord(id, ts, key, route, provider, model, false, 200, null, false, u, new BigDecimal(cost), "2026-07-24",
                80_000, -1, 300, List.of(new UsageRecord.AttemptRecord(1, provider, model, "200", 80, -1, u, new BigDecimal(cost), null)));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) browser.close();
        } finally {
            if (gw != null) gw.close();
        }
    }

    @BeforeEach
    void signedOutOnAFreshPage() {
        browser.resize(1366, 900);
        browser.driver.get(gw.base() + "/dashboard/");
        browser.driver.manage().deleteAllCookies();
        browser.driver.navigate().refresh();
        browser.await(d -> d.findElement(By.id("admin-key")).isDisplayed());
    }

    private static void signIn() {
        // keyboard only: the key field has focus, Enter submits
        browser.await(d -> d.switchTo().activeElement().getAttribute("id").equals("admin-key"));
        browser.driver.switchTo().activeElement().sendKeys(ADMIN_KEY + Keys.ENTER);
        browser.await(d -> d.findElement(By.tagName("body")).getAttribute("data-loaded") != null);
    }

    private static WebElement kpi(String field) {
        return browser.driver.findElement(By.cssSelector("#overview [data-field='" + field + "']"));
    }

    private static JsonNode total(long from) throws Exception {
        JsonNode data = gw.admin("/admin/usage?from=" + from).path("data");
        return data.isEmpty() ? null : data.get(0);
    }

    /** The overview shows exactly the usage API's totals for [from, now). */
    private static boolean overviewShows(long from) {
        try {
            JsonNode t = total(from);
            return t != null && Figures.same(kpi("requests").getAttribute("data-value"), t.path("requests"));
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void theFiguresShownAreTheUsageApis() throws Exception {
        signIn();
        long now = System.currentTimeMillis();
        browser.await(d -> overviewShows(now - 24 * HOUR));
        JsonNode t = total(now - 24 * HOUR);
        // chat-1 and chat-2 failed over from 'down'; chat-3 went to 'steady' because down's breaker was open
        assertThat(t.path("failovers").asLong()).as("the scenario has failovers").isEqualTo(3);
        assertThat(t.path("errors").asLong()).as("and errors").isEqualTo(2);

        Figures.expect(kpi("requests"), t.path("requests"));
        assertThat(kpi("requests").getText()).isEqualTo(t.path("requests").asText());
        Figures.expect(kpi("error_rate"), t.path("error_rate"));
        Figures.expect(kpi("failovers"), t.path("failovers"));
        Figures.expect(kpi("spend_usd"), t.path("spend_usd"));
        for (String p : List.of("p50", "p95", "p99")) {
            Figures.expect(kpi("latency_" + p), t.path("latency_ms").path(p));
            Figures.expect(kpi("ttft_" + p), t.path("ttft_ms").path(p));
        }
        for (String period : List.of("spend_today", "spend_month")) {
            JsonNode p = total(Long.parseLong(kpi(period).getAttribute("data-from")));
            Figures.expect(kpi(period), p.path("spend_usd"));
        }

        JsonNode targets = gw.admin("/admin/targets").path("targets");
        Figures.expectTable(browser, "provider-table", gw.admin("/admin/usage?group_by=provider&from=" + (now - 24 * HOUR)), targets, true);
        Figures.expectTable(browser, "model-table", gw.admin("/admin/usage?group_by=target&from=" + (now - 24 * HOUR)), targets, false);
        assertThat(browser.driver.findElement(By.cssSelector("#provider-table tr[data-name='down'] [data-field='breaker']"))
                .getAttribute("data-value")).as("three failures opened 'down'").isEqualTo("open");

        for (String chart : List.of("chart-spend", "chart-latency", "chart-traffic", "chart-failovers")) {
            WebElement fig = browser.driver.findElement(By.id(chart));
            assertThat(Integer.parseInt(fig.getAttribute("data-points"))).as(chart + " has data").isPositive();
            assertThat(Figures.colouredPixels(browser, chart)).as(chart + " drew its series on the canvas").isGreaterThan(20);
            assertThat(fig.findElement(By.cssSelector(".chart-empty")).isDisplayed()).isFalse();
        }

        browser.screenshot("dashboard-laptop", 1366);
        assertThat(Figures.overflowsHorizontally(browser)).as("no sideways scrolling at laptop width").isFalse();
        browser.screenshot("dashboard-phone", 390);
        assertThat(Figures.overflowsHorizontally(browser)).as("no sideways scrolling at phone width").isFalse();
    }

    @Test
    void columnHeadersSortTheTablesWithMouseAndKeyboard() {
        signIn();
        By header = By.cssSelector("#provider-table th[data-key='requests']");
        browser.driver.findElement(header).findElement(By.tagName("button")).click();
        assertThat(browser.driver.findElement(header).getAttribute("aria-sort")).isEqualTo("descending");
        assertThat(browser.driver.findElements(By.cssSelector("#provider-table th[aria-sort]"))).hasSize(1);
        List<Long> desc = Figures.columnValues(browser, "provider-table", "requests");
        assertThat(desc).isSortedAccordingTo((a, b) -> Long.compare(b, a)).hasSizeGreaterThanOrEqualTo(3);
        // the button keeps focus: Enter sorts the other way
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        assertThat(browser.driver.findElement(header).getAttribute("aria-sort")).isEqualTo("ascending");
        assertThat(Figures.columnValues(browser, "provider-table", "requests")).isSorted();
    }

    @Test
    void theRangeSelectorAndTheFiltersChangeWhatIsShown() throws Exception {
        signIn();
        Select range = new Select(browser.driver.findElement(By.id("range")));
        long[] sizes = {HOUR, 24 * HOUR, 7 * 24 * HOUR};
        String[] values = {"1h", "24h", "7d"};
        int[][] buckets = {{60, 61}, {24, 25}, {168, 169}};
        List<String> requestCounts = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            range.selectByValue(values[i]);
            long from = System.currentTimeMillis() - sizes[i];
            browser.await(d -> overviewShows(from));
            requestCounts.add(kpi("requests").getAttribute("data-value"));
            int[] b = buckets[i];
            browser.await(d -> {
                int n = Integer.parseInt(d.findElement(By.id("chart-traffic")).getAttribute("data-buckets"));
                return n == b[0] || n == b[1];
            });
        }
        assertThat(requestCounts).as("the older records come into view as the range grows").doesNotHaveDuplicates();
        assertThat(browser.driver.findElement(By.id("range-label")).getText()).isEqualTo("last 7 days");

        long from = System.currentTimeMillis() - 7 * 24 * HOUR;
        expectLogAfter("filter-provider", "fast", "/admin/requests?provider=fast&limit=100&from=" + from, "provider", "fast");
        expectLogAfter("filter-provider", "", "/admin/requests?limit=100&from=" + from, null, null);
        expectLogAfter("filter-status", "error", "/admin/requests?status=error&limit=100&from=" + from, "status", "503");
        expectLogAfter("filter-status", "", "/admin/requests?limit=100&from=" + from, null, null);
        expectLogAfter("filter-key", "team-b", "/admin/requests?key=team-b&limit=100&from=" + from, "key", "team-b");
        expectLogAfter("filter-model", "chat", "/admin/requests?key=team-b&model=chat&limit=100&from=" + from, "route", "chat");
        browser.screenshot("dashboard-filtered-laptop", 1366);
    }

    /** Chooses {@code value} in a filter, then waits until the log lists exactly the API's requests for that query. */
    private static void expectLogAfter(String select, String value, String apiQuery, String field, String fieldValue) throws Exception {
        new Select(browser.driver.findElement(By.id(select))).selectByValue(value);
        List<String> expected = new ArrayList<>();
        for (JsonNode r : gw.admin(apiQuery).path("data")) expected.add(r.path("id").asText());
        assertThat(expected).as(apiQuery).isNotEmpty();
        browser.await(d -> Figures.logIds(browser).equals(expected));
        if (field != null) {
            for (WebElement cell : browser.driver.findElements(By.cssSelector("#request-table tbody [data-field='" + field + "']"))) {
                String shown = cell.getAttribute("data-value") != null ? cell.getAttribute("data-value") : cell.getText();
                assertThat(shown).as(select + "=" + value).isEqualTo(fieldValue);
            }
        }
    }

    @Test
    void aRequestsDetailShowsItsAttempts() throws Exception {
        signIn();
        JsonNode api = gw.admin("/admin/requests/chat-1");
        By button = By.cssSelector("#request-table button[data-id='chat-1']");
        browser.await(d -> !d.findElements(button).isEmpty());
        browser.driver.findElement(button).click();
        browser.await(d -> "loaded".equals(d.findElement(By.id("detail")).getAttribute("data-state")));
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#attempt-table tbody tr"));
        assertThat(rows).hasSize(api.path("attempts").size()).hasSize(2);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode a = api.path("attempts").get(i);
            WebElement row = rows.get(i);
            assertThat(row.findElement(By.cssSelector("[data-field='target']")).getAttribute("data-value"))
                    .isEqualTo(a.path("provider").asText() + "/" + a.path("model").asText());
            assertThat(row.findElement(By.cssSelector("[data-field='outcome']")).getAttribute("data-value")).isEqualTo(a.path("outcome").asText());
        }
        assertThat(rows.get(0).getText()).contains("down/sim-large").contains("503");
        assertThat(rows.get(1).getText()).contains("steady/sim-medium").contains("200");
        Figures.expect(browser.driver.findElement(By.cssSelector("#detail-body dd[data-field='cost']")), api.path("cost_usd"));
        Figures.expect(browser.driver.findElement(By.cssSelector("#detail-body dd[data-field='latency']")), api.path("latency_ms"));
        browser.screenshot("dashboard-request-detail", 1366);
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        browser.await(d -> Boolean.FALSE.equals(browser.js("return document.getElementById('detail').open")));
        assertThat(browser.driver.switchTo().activeElement().getAttribute("data-id")).as("focus is back on the row").isEqualTo("chat-1");
    }

    @Test
    void theOverviewUpdatesLive() throws Exception {
        signIn();
        long from = System.currentTimeMillis() - 24 * HOUR;
        browser.await(d -> overviewShows(from));
        long before = Long.parseLong(kpi("requests").getAttribute("data-value"));
        assertThat(gw.chat("sk-team-a", "live-1", "quick", false)).isEqualTo(200);
        gw.awaitRecorded(1);
        browser.await(d -> String.valueOf(before + 1).equals(kpi("requests").getAttribute("data-value")));
        browser.await(d -> !d.findElements(By.cssSelector("#request-table button[data-id='live-1']")).isEmpty());
    }

    @Test
    void unauthenticatedAccessIsRefusedAndSigningOutLocksItAgain() throws Exception {
        assertThat(fetchStatus("api/usage")).as("no data before signing in").isEqualTo(401);
        assertThat(fetchStatus("api/requests")).isEqualTo(401);
        browser.screenshot("dashboard-sign-in", 1366);
        browser.driver.findElement(By.id("admin-key")).sendKeys("sk-team-a" + Keys.ENTER);
        browser.await(d -> d.findElement(By.id("sign-in-error")).isDisplayed());
        assertThat(browser.driver.findElement(By.id("sign-in-error")).getText()).contains("not the admin key");
        assertThat(browser.driver.findElement(By.id("app-view")).isDisplayed()).isFalse();

        signIn();
        Cookie session = browser.driver.manage().getCookieNamed(DashboardAuth.COOKIE);
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getPath()).isEqualTo("/");
        assertThat(session.getValue()).doesNotContain(ADMIN_KEY);
        assertThat((String) browser.js("return document.cookie")).as("scripts cannot read it").doesNotContain(session.getValue());
        assertThat(fetchStatus("api/usage")).isEqualTo(200);

        browser.driver.findElement(By.id("sign-out")).click();
        browser.await(d -> d.findElement(By.id("sign-in-view")).isDisplayed());
        assertThat(browser.driver.findElement(By.id("app-view")).isDisplayed()).isFalse();
        assertThat(fetchStatus("api/usage")).isEqualTo(401);
        assertThat(gw.get("/dashboard/api/usage", "Cookie", DashboardAuth.COOKIE + "=" + session.getValue()).statusCode())
                .as("the old cookie is dead on the server too").isEqualTo(401);
        browser.driver.navigate().refresh();
        browser.await(d -> d.findElement(By.id("sign-in-view")).isDisplayed());
    }

    @Test
    void anEmptyLedgerAndAnUnreadableOneAreShownAsSuch(@TempDir Path other) throws Exception {
        try (DashboardFixture empty = DashboardFixture.start(CONFIG, other)) {
            browser.driver.get(empty.base() + "/dashboard/");
            signIn();
            assertThat(kpi("requests").getAttribute("data-value")).isEqualTo("0");
            assertThat(kpi("latency_p50").getText()).isEqualTo("–");
            for (String chart : List.of("chart-spend", "chart-latency", "chart-traffic", "chart-failovers")) {
                WebElement fig = browser.driver.findElement(By.id(chart));
                assertThat(fig.getAttribute("data-points")).isEqualTo("0");
                assertThat(fig.findElement(By.cssSelector(".chart-empty")).isDisplayed()).as(chart + " says it is empty").isTrue();
            }
            assertThat(browser.driver.findElement(By.cssSelector("#request-table tbody")).getText()).contains("No requests in this range yet");
            // idle providers still have their rows (and breakers)
            assertThat(Figures.columnValues(browser, "provider-table", "requests")).containsExactly(0L, 0L, 0L);
            browser.screenshot("dashboard-empty", 1366);

            empty.accounting.ledger().database().close(); // reads fail from now on: the API answers 503
            browser.await(d -> d.findElement(By.id("banner")).isDisplayed());
            assertThat(browser.driver.findElement(By.id("banner")).getText()).contains("database is unavailable");
            assertThat(kpi("requests").getAttribute("data-value")).as("the last figures stay").isEqualTo("0");
            browser.screenshot("dashboard-ledger-unreadable", 1366);
        }
    }

    private static long fetchStatus(String path) {
        Object status = browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => done(r.status), e => done(-1));", path);
        return ((Number) status).longValue();
    }

}
