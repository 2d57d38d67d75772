package dev.switchyard.store;

import dev.switchyard.accounting.PriceBook;
import dev.switchyard.accounting.PriceCatalog;
import dev.switchyard.accounting.UsageRecorder;
import dev.switchyard.model.RequestIds;
import dev.switchyard.model.Usage;
import dev.switchyard.resilience.AttemptLog;
import dev.switchyard.resilience.ExchangeOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ledger insert throughput, and what accounting costs the request's thread. Not a unit test: run by hand, see
 * docs/benchmarks-ledger.md for the command. Feeds {@code n} realistic outcomes (one attempt each, priced from
 * the catalog) through the recorder into the ledger as fast as one thread can, then waits for the writer.
 *
 * <p>Usage: {@code LedgerInsertBench sqlite|postgresql [requests]}
 */
public final class LedgerInsertBench {
    private LedgerInsertBench() {}

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "sqlite";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        Path dir = Files.createTempDirectory("ledger-bench");
        RealPostgres pg = kind.equals("postgresql") ? new RealPostgres(dir) : null;
        String url = pg != null ? pg.storeUrl() : "sqlite:" + dir.resolve("bench.db");
        try {
            run(kind, url, n, dir);
            if (pg == null) {
                long bytes = Files.size(dir.resolve("bench.db")) + sizeOr0(dir.resolve("bench.db-wal"));
                System.out.printf(Locale.ROOT, "sqlite file: %.1f MB, %.0f bytes/request (tables and keys)%n",
                        bytes / 1e6, bytes / (double) n);
            }
        } finally {
            if (pg != null) pg.close();
            try (var all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** CPU time of the ledger's writer thread so far. */
    private static long writerCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("switchyard-ledger")) return mx.getThreadCpuTime(t.threadId());
        }
        return 0;
    }

    private static long sizeOr0(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.size(p) : 0;
    }

    private static void run(String kind, String url, int n, Path dir) throws Exception {
        StoreUrl su = StoreUrl.parse(url);
        LedgerOptions o = LedgerOptions.defaults(su, Duration.ofDays(30)).withSpillFile(dir.resolve("spill.jsonl"))
                .withQueueCapacity(n + 1);
        PriceBook prices = new PriceBook(PriceCatalog.bundled(), Map.of("openai", "openai", "anthropic", "anthropic"), Map.of());
        List<ExchangeOutcome> outcomes = new ArrayList<>(n);
        long t0 = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            AttemptLog log = new AttemptLog();
            String target = i % 3 == 0 ? "anthropic/claude-sonnet-4-5" : "openai/gpt-4o";
            Usage u = new Usage(800 + i % 400, i % 200, 0, 120 + i % 300, 0);
            log.add(new AttemptLog.Attempt(target, "200", 300 + i % 900, null, u, i % 2 == 0 ? 120 : -1));
            // ids as the gateway mints them: the arrival millisecond first (the ledger finds them by primary key)
            outcomes.add(new ExchangeOutcome(RequestIds.mint(t0 + i), "chat", target, i % 2 == 0, 200, u, log,
                    t0 + i, 350_000_000L + i, i % 2 == 0 ? 120_000_000L : 0, 180_000, null, false, "key-" + (i % 16)));
        }
        try (Ledger ledger = Ledger.open(su, o)) {
            UsageRecorder recorder = new UsageRecorder(prices, ledger);
            // warm the recorder and the JIT on a copy that is not timed
            UsageRecorder warm = new UsageRecorder(prices, r -> { });
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                long w0 = System.nanoTime();
                for (ExchangeOutcome out : outcomes) warm.accept(out);
                best = Math.min(best, System.nanoTime() - w0);
            }
            System.out.printf(Locale.ROOT, "record + price alone (best of 5 rounds): %.0f ns/request%n", best / (double) n);

            long writerCpu0 = writerCpuNanos();
            long start = System.nanoTime();
            for (ExchangeOutcome out : outcomes) recorder.accept(out);
            long offered = System.nanoTime();
            ledger.flush().get(10, TimeUnit.MINUTES);
            long done = System.nanoTime();
            long writerCpu = writerCpuNanos() - writerCpu0;

            Ledger.Stats s = ledger.stats();
            long attemptRows = ledger.database().read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM attempts")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            long rows = s.written() + attemptRows;
            double secs = (done - start) / 1e9;
            System.out.printf(Locale.ROOT, "%s: %d requests (%d rows with attempts) in %.2f s -> %.0f requests/s, %.0f rows/s%n",
                    kind, s.written(), rows, secs, s.written() / secs, rows / secs);
            System.out.printf(Locale.ROOT, "writer thread CPU: %.2f us/request%n", writerCpu / 1000.0 / n);
            System.out.printf(Locale.ROOT, "request-thread cost (record + price + enqueue): %.0f ns/request; dropped %d, spilled %d%n",
                    (offered - start) / (double) n, s.dropped(), s.spilled());
            if (s.written() != n) throw new IllegalStateException("expected " + n + " rows, wrote " + s.written());
        }
    }
}
