package dev.switchyard.accounting;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The bundled price catalog ({@code switchyard/prices.tsv}, derived from LiteLLM's data at build time by
 * {@code PriceCatalogGenerator}): prices and limits by catalog key, with the source's snapshot date as the
 * version every cost is stamped with. Immutable once loaded; loaded once per JVM.
 */
public final class PriceCatalog implements ModelLimits {
    public static final String RESOURCE = "/switchyard/prices.tsv";
    private static final int COLUMNS = 15;

    private final String version;
    private final Map<String, CatalogEntry> entries;

    private PriceCatalog(String version, Map<String, CatalogEntry> entries) {
        this.version = version;
        this.entries = entries;
    }

    private static final class Bundled {
        static final PriceCatalog INSTANCE = load();

        private static PriceCatalog load() {
            try (InputStream in = PriceCatalog.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the build");
                return parse(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static PriceCatalog bundled() {
        return Bundled.INSTANCE;
    }

    /** Reads the TSV format written by the generator: {@code #version} line, then one model per line. */
    public static PriceCatalog parse(Reader reader) throws IOException {
        String version = null;
        Map<String, CatalogEntry> entries = new HashMap<>(4096);
        BufferedReader r = new BufferedReader(reader);
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.startsWith("#version\t")) {
                version = line.substring("#version\t".length()).trim();
                continue;
            }
            if (line.isEmpty() || line.charAt(0) == '#') continue;
            String[] c = line.split("\t", -1);
            if (c.length != COLUMNS) throw new IOException("price catalog line " + n + ": " + c.length + " columns, expected " + COLUMNS);
            ModelPrice.Tier tier = c[8].isEmpty() ? null
                    : new ModelPrice.Tier(Long.parseLong(c[8]), dec(c[9]), dec(c[10]), dec(c[11]), dec(c[12]));
            ModelPrice price = new ModelPrice(dec(c[3]), dec(c[4]), dec(c[5]), dec(c[6]), dec(c[7]), tier);
            entries.put(c[0], new CatalogEntry(c[0], c[1], c[2], price, count(c[13]), count(c[14])));
        }
        if (version == null) throw new IOException("price catalog has no #version line");
        return new PriceCatalog(version, Map.copyOf(entries));
    }

    private static BigDecimal dec(String s) {
        return s.isEmpty() ? null : new BigDecimal(s);
    }

    private static Integer count(String s) {
        return s.isEmpty() ? null : Integer.valueOf(s);
    }

    /** The source snapshot's date, e.g. {@code 2026-07-24}. */
    public String version() {
        return version;
    }

    public int size() {
        return entries.size();
    }

    public CatalogEntry entry(String key) {
        return entries.get(key);
    }

    /** The entry for a provider type's model (see {@link CatalogKeys}), or null. */
    public CatalogEntry lookup(String providerType, String upstreamModel) {
        for (String key : CatalogKeys.candidates(providerType, upstreamModel)) {
            CatalogEntry e = entries.get(key);
            if (e != null && CatalogKeys.accepts(providerType, key, e)) return e;
        }
        return null;
    }

    @Override
    public OptionalInt maxOutputTokens(String providerType, String upstreamModel) {
        CatalogEntry e = lookup(providerType, upstreamModel);
        return e == null || e.maxOutput() == null ? OptionalInt.empty() : OptionalInt.of(e.maxOutput());
    }

    @Override
    public OptionalInt contextWindow(String providerType, String upstreamModel) {
        CatalogEntry e = lookup(providerType, upstreamModel);
        return e == null || e.maxInput() == null ? OptionalInt.empty() : OptionalInt.of(e.maxInput());
    }
}
