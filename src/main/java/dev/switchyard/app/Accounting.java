package dev.switchyard.app;

import dev.switchyard.accounting.CostSource;
import dev.switchyard.accounting.PriceBook;
import dev.switchyard.accounting.PriceCatalog;
import dev.switchyard.accounting.UsageRecorder;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.resilience.CostQuote;
import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.store.Ledger;
import dev.switchyard.store.LedgerOptions;
import dev.switchyard.store.StoreUrl;
import dev.switchyard.store.UsageQueries;
import dev.switchyard.web.UsageApi;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import dev.switchyard.accounting.UsageRecord;

/**
 * The accounting side of a running gateway, wired once: prices for this configuration, the recorder that turns
 * outcomes into usage records, the durable ledger they go to, and the usage API that reads it back.
 */
public final class Accounting implements AutoCloseable {
    /** Replaced when a reload changes the price overrides; a request is priced with the book current when it ends. */
    private volatile PriceBook prices;
    private final Ledger ledger;
    private final UsageRecorder recorder;
    private final List<Consumer<UsageRecord>> listeners = new CopyOnWriteArrayList<>();

    private Accounting(PriceBook prices, Ledger ledger) {
        this.prices = prices;
        this.ledger = ledger;
        this.recorder = new UsageRecorder(() -> this.prices, r -> {
            ledger.accept(r);
            for (Consumer<UsageRecord> l : listeners) l.accept(r);
        });
    }

    /** Also hands every usage record to {@code listener} (on the event loop: it must not block). */
    public void addRecordListener(Consumer<UsageRecord> listener) {
        listeners.add(listener);
    }

    /** Prices from now on with {@code config}'s overrides and providers (call after a reload). */
    public void reprice(GatewayConfig config) {
        prices = PriceBook.of(config);
    }

    /** @throws IllegalArgumentException when {@code store.url} cannot be used */
    public static Accounting open(GatewayConfig config) {
        StoreUrl url = StoreUrl.parse(config.store().url());
        return open(config, LedgerOptions.defaults(url, config.store().retention()));
    }

    public static Accounting open(GatewayConfig config, LedgerOptions options) {
        StoreUrl url = StoreUrl.parse(config.store().url());
        return new Accounting(PriceBook.of(config), Ledger.open(url, options));
    }

    /**
     * Opens the store before the whole configuration is known (runtime changes kept in it are part of the
     * configuration); {@link #reprice} once it is.
     */
    public static Accounting open(StoreUrl url, LedgerOptions options) {
        return new Accounting(new PriceBook(PriceCatalog.bundled(), java.util.Map.of(), java.util.Map.of()), Ledger.open(url, options));
    }

    public PriceBook prices() {
        return prices;
    }

    public Ledger ledger() {
        return ledger;
    }

    /** Feed this every {@link ExchangeOutcome}: never blocks. */
    public Consumer<ExchangeOutcome> outcomes() {
        return recorder;
    }

    /** Each request's cost exactly as the ledger records it, for the cost metric (the two never disagree). */
    public CostSource costSource() {
        return outcome -> {
            java.math.BigDecimal c = recorder.cost(outcome);
            return c == null ? null : c.doubleValue();
        };
    }

    public CostQuote costQuote() {
        return UsageRecorder.quote(() -> prices);
    }

    /** {@code /admin/usage} and {@code /admin/requests}, for {@link Gateway.Extensions} (and the dashboard). */
    public UsageApi usageApi() {
        return new UsageApi(new UsageQueries(ledger.database()), prices.version());
    }

    /** Writes out everything queued; call after the gateway has stopped taking requests. */
    public void close(Duration timeout) {
        ledger.close(timeout);
    }

    @Override
    public void close() {
        ledger.close();
    }
}
