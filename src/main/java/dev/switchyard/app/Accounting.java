package dev.switchyard.app;

import dev.switchyard.accounting.PriceBook;
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
import java.util.function.Consumer;

/**
 * The accounting side of a running gateway, wired once: prices for this configuration, the recorder that turns
 * outcomes into usage records, the durable ledger they go to, and the usage API that reads it back.
 */
public final class Accounting implements AutoCloseable {
    private final PriceBook prices;
    private final Ledger ledger;
    private final UsageRecorder recorder;

    private Accounting(PriceBook prices, Ledger ledger) {
        this.prices = prices;
        this.ledger = ledger;
        this.recorder = new UsageRecorder(prices, ledger);
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

    public CostQuote costQuote() {
        return UsageRecorder.quote(prices);
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
