package dev.switchyard.accounting;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives the bundled price catalog ({@code src/main/resources/switchyard/prices.tsv}) from LiteLLM's
 * {@code model_prices_and_context_window.json}: chat and embedding models only, and only the fields the cost
 * calculator and the model limits use. Prices are copied as exact decimal text (never through a double), so
 * the catalog carries the source's numbers digit for digit.
 *
 * <p>Maven runs this file with the JDK's source launcher in the {@code price-catalog} profile (it needs no
 * compiled classes, only Jackson on the class path); {@code PriceCatalogGeneratorTest} calls {@link #render}
 * to check that the committed file is current. Usage: {@code java -cp … PriceCatalogGenerator.java SOURCE.json
 * TARGET.tsv}; the catalog version is the snapshot date in the README beside the source.
 */
public final class PriceCatalogGenerator {
    static final String HEADER_COLUMNS = "key\tprovider\tmode\tinput\toutput\tcache_read\tcache_write\treasoning"
            + "\ttier_above\tinput_tier\toutput_tier\tcache_read_tier\tcache_write_tier\tmax_input\tmax_output";
    private static final Pattern SNAPSHOT = Pattern.compile("Snapshot date:\\s*(\\d{4}-\\d{2}-\\d{2})");
    private static final Pattern TIER = Pattern.compile("input_cost_per_token_above_(\\d+)k_tokens");

    private PriceCatalogGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: PriceCatalogGenerator SOURCE.json TARGET.tsv");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        Path target = Path.of(args[1]);
        String text = render(source);
        String old = Files.exists(target) ? Files.readString(target, StandardCharsets.UTF_8) : null;
        if (text.equals(old)) {
            System.out.println("[price-catalog] " + target.getFileName() + " is current");
            return;
        }
        Files.createDirectories(target.getParent());
        Files.writeString(target, text, StandardCharsets.UTF_8);
        System.out.println("[price-catalog] regenerated " + target + " from " + source + ": commit it");
    }

    /** The catalog text for {@code source} (its README gives the version). */
    public static String render(Path source) throws IOException {
        String version = snapshotDate(source.resolveSibling("README.md"));
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        JsonNode root = mapper.readTree(source.toFile());
        Map<String, String> rows = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode m = e.getValue();
            String mode = m.path("mode").asText("");
            if (key.equals("sample_spec") || !(mode.equals("chat") || mode.equals("embedding"))) continue;
            if (key.indexOf('\t') >= 0 || key.indexOf('\n') >= 0) continue;
            String input = price(m, "input_cost_per_token");
            String output = price(m, "output_cost_per_token");
            if (input.isEmpty() && output.isEmpty()) continue; // priced per second/character/image only
            int tier = lowestTier(m);
            String t = tier > 0 ? "_above_" + tier + "k_tokens" : null;
            List<String> cols = new ArrayList<>(15);
            cols.add(key);
            cols.add(m.path("litellm_provider").asText(""));
            cols.add(mode);
            cols.add(input);
            cols.add(output);
            cols.add(price(m, "cache_read_input_token_cost"));
            cols.add(price(m, "cache_creation_input_token_cost"));
            cols.add(price(m, "output_cost_per_reasoning_token"));
            cols.add(tier > 0 ? Integer.toString(tier * 1000) : "");
            cols.add(t == null ? "" : price(m, "input_cost_per_token" + t));
            cols.add(t == null ? "" : price(m, "output_cost_per_token" + t));
            cols.add(t == null ? "" : price(m, "cache_read_input_token_cost" + t));
            cols.add(t == null ? "" : price(m, "cache_creation_input_token_cost" + t));
            cols.add(count(m, "max_input_tokens"));
            cols.add(count(m, "max_output_tokens"));
            rows.put(key, String.join("\t", cols));
        }
        StringBuilder b = new StringBuilder(rows.size() * 96);
        b.append("# Switchyard price catalog: USD per token, derived from LiteLLM's model_prices_and_context_window.json\n");
        b.append("# (MIT licence, Copyright (c) 2023 Berri AI; see prices.NOTICE). Generated by PriceCatalogGenerator: do not edit.\n");
        b.append("#version\t").append(version).append('\n');
        b.append('#').append(HEADER_COLUMNS).append('\n');
        for (String row : rows.values()) b.append(row).append('\n');
        return b.toString();
    }

    static String snapshotDate(Path readme) throws IOException {
        Matcher m = SNAPSHOT.matcher(Files.readString(readme, StandardCharsets.UTF_8));
        if (!m.find()) throw new IOException(readme + " names no 'Snapshot date: YYYY-MM-DD'");
        return m.group(1);
    }

    /** The smallest long-context threshold (in thousands of prompt tokens) the model has an input price for. */
    private static int lowestTier(JsonNode m) {
        int best = 0;
        for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            Matcher t = TIER.matcher(it.next());
            if (t.matches()) {
                int k = Integer.parseInt(t.group(1));
                if (best == 0 || k < best) best = k;
            }
        }
        return best;
    }

    private static String price(JsonNode m, String field) {
        JsonNode v = m.get(field);
        if (v == null || !v.isNumber()) return "";
        BigDecimal d = v.decimalValue();
        if (d.signum() < 0) return "";
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    private static String count(JsonNode m, String field) {
        JsonNode v = m.get(field);
        if (v == null || !v.isNumber()) return "";
        BigDecimal d = v.decimalValue();
        if (d.signum() <= 0 || d.stripTrailingZeros().scale() > 0 || d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) return "";
        return Integer.toString(d.intValueExact());
    }
}
