package dev.switchyard.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Compares what the page shows with the usage API: each figure's raw value (data-value) exactly, and its text
 * to within the rounding of the digits it shows.
 */
final class Figures {
    private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9,]*(\\.[0-9]+)?");

    private Figures() {}

    /** data-value equals the API's number (both absent when the API has none). */
    static boolean same(String dataValue, JsonNode api) {
        if (api == null || api.isMissingNode() || api.isNull()) return dataValue == null;
        return dataValue != null && new BigDecimal(dataValue).compareTo(api.decimalValue()) == 0;
    }

    static void expect(WebElement el, JsonNode api) {
        String raw = el.getAttribute("data-value");
        assertThat(same(raw, api)).as("data-value %s of '%s' vs the API's %s", raw, el.getText(), api).isTrue();
        if (api != null && !api.isMissingNode() && !api.isNull()) shows(el.getText(), api.doubleValue());
    }

    /** The text shows the number, rounded to the digits it has: "$0.00725", "12.3 ms", "1.24 s", "18.2%". */
    static void shows(String text, double exact) {
        Matcher m = NUMBER.matcher(text);
        assertThat(m.find()).as("a number in '%s'", text).isTrue();
        String num = m.group().replace(",", "");
        int decimals = num.contains(".") ? num.length() - num.indexOf('.') - 1 : 0;
        double scale = text.trim().endsWith(" s") ? 1000 : text.trim().endsWith("%") ? 0.01 : 1;
        double tolerance = 0.5 * Math.pow(10, -decimals) * scale + 1e-9;
        assertThat(Double.parseDouble(num) * scale).as("'%s' shows %s", text, exact).isCloseTo(exact, within(tolerance));
    }

    /**
     * Every group of a usage report appears as a row with the same figures; the breaker column matches
     * /admin/targets (for providers: open if any of its models is open, half-open if any is probing).
     */
    static void expectTable(Browser b, String table, JsonNode report, JsonNode targets, boolean byProvider) {
        double totalSpend = 0;
        for (JsonNode r : report.path("data")) totalSpend += r.path("spend_usd").doubleValue();
        assertThat(report.path("data")).as(table).isNotEmpty();
        for (JsonNode r : report.path("data")) {
            String group = r.path("group").asText();
            WebElement row = b.driver.findElement(By.cssSelector("#" + table + " tbody tr[data-name='" + group + "']"));
            expect(cell(row, "requests"), r.path("requests"));
            expect(cell(row, "tokens"), r.path("tokens").path("total"));
            expect(cell(row, "spend"), r.path("spend_usd"));
            for (String p : List.of("p50", "p95", "p99")) expect(cell(row, p), r.path("latency_ms").path(p));
            for (String p : List.of("p50", "p95")) expect(cell(row, "ttft_" + p), r.path("ttft_ms").path(p));
            if (r.path("requests").asLong() > 0) expect(cell(row, "error_rate"), r.path("error_rate"));
            double share = totalSpend == 0 ? 0 : r.path("spend_usd").doubleValue() / totalSpend;
            assertThat(Double.parseDouble(cell(row, "share").getAttribute("data-value"))).as(group + " share").isCloseTo(share, within(1e-9));
            assertThat(cell(row, "breaker").getAttribute("data-value")).as(group + " breaker").isEqualTo(breaker(targets, group, byProvider));
        }
    }

    private static String breaker(JsonNode targets, String group, boolean byProvider) {
        List<String> states = new ArrayList<>();
        for (JsonNode t : targets) {
            if (group.equals(byProvider ? t.path("provider").asText() : t.path("target").asText())) states.add(t.path("breaker").asText());
        }
        if (states.isEmpty()) return null;
        return states.contains("open") ? "open" : states.contains("half_open") ? "half_open" : "closed";
    }

    private static WebElement cell(WebElement row, String field) {
        return row.findElement(By.cssSelector("[data-field='" + field + "']"));
    }

    /** Read in one script, so a refresh cannot replace the rows halfway through. */
    static List<Long> columnValues(Browser b, String table, String field) {
        List<Long> out = new ArrayList<>();
        for (Object v : strings(b, "#" + table + " tbody [data-field='" + field + "']", "value")) out.add(Long.parseLong((String) v));
        return out;
    }

    /** Request ids in the log, top to bottom. */
    static List<String> logIds(Browser b) {
        List<String> out = new ArrayList<>();
        for (Object v : strings(b, "#request-table tbody tr[data-id]", "id")) out.add((String) v);
        return out;
    }

    private static List<?> strings(Browser b, String selector, String dataAttribute) {
        return (List<?>) b.js("return [...document.querySelectorAll(arguments[0])].map(e => e.dataset[arguments[1]]);", selector, dataAttribute);
    }

    /**
     * Pixels of the chart's canvas in a saturated colour: the series (axes, grid and labels are grey), so a chart
     * that drew only its frame counts none.
     */
    static long colouredPixels(Browser b, String figure) {
        Object n = b.js("""
                const c = document.querySelector('#' + arguments[0] + ' canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) {
                  if (d[i + 3] > 200 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 30) n++;
                }
                return n;""", figure);
        return ((Number) n).longValue();
    }

    static boolean overflowsHorizontally(Browser b) {
        return (Boolean) b.js("return document.documentElement.scrollWidth > document.documentElement.clientWidth");
    }
}
