package dev.switchyard.app;

import dev.switchyard.config.ConfigException;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.web.ConfigControl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the config file and applies valid changes live. It polls the file's content digest (once a second
 * by default) rather than relying on file-system events, which miss editors' rename-into-place saves and do
 * not work on some mounts. An invalid change is logged with every problem, counted, and the old config keeps
 * serving.
 */
public final class ConfigReloader implements ConfigControl {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /** Loads the file (with whatever is layered over it) and applies it; throws when it is invalid. */
    @FunctionalInterface
    public interface Applier {
        /** @return a one-line summary of what changed */
        String apply() throws ConfigException;
    }

    private final Vertx vertx;
    private final Supplier<Gateway> gateway;
    private final Applier applier;
    private final Path file;
    private byte[] lastDigest;
    private long timer = -1;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /**
     * @param gateway the running gateway (known only once it started: the admin route is mounted before)
     * @param file    null when the gateway runs on a built-in config (nothing to reload)
     */
    public ConfigReloader(Vertx vertx, Supplier<Gateway> gateway, ConfigLoader loader, Path file) {
        this(vertx, gateway, file, () -> gateway.get().reload(loader.load(file)));
    }

    /** @param applier how a changed file becomes live (e.g. {@link ConfigLayers#reloadFromFile}, runtime layer included) */
    public ConfigReloader(Vertx vertx, Supplier<Gateway> gateway, Path file, Applier applier) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.applier = applier;
        this.file = file;
        this.lastDigest = file == null ? null : digest(file);
    }

    public ConfigReloader watch(long periodMillis) {
        if (file != null) timer = vertx.setPeriodic(periodMillis, t -> vertx.executeBlocking(() -> {
            byte[] d = digest(file);
            return d != null && !Arrays.equals(d, lastDigest);
        }, false).onSuccess(changed -> {
            if (changed) reload();
        }));
        return this;
    }

    public void stop() {
        if (timer >= 0) vertx.cancelTimer(timer);
    }

    @Override
    public Future<ReloadOutcome> reload() {
        if (file == null) {
            return Future.succeededFuture(new ReloadOutcome(false, List.of(),
                    "this gateway runs on a built-in configuration (--demo); start it with --config FILE to reload"));
        }
        // file IO and validation off the event loop; the swap itself is quick and synchronized
        return vertx.executeBlocking(() -> {
            synchronized (this) {
                byte[] d = digest(file);
                try {
                    String summary = applier.apply();
                    lastDigest = d;
                    applied.incrementAndGet();
                    LOG.info("configuration reloaded from {}: {}", file, summary);
                    return new ReloadOutcome(true, List.of(), summary);
                } catch (ConfigException e) {
                    lastDigest = d; // do not re-report the same broken file every second
                    rejected.incrementAndGet();
                    LOG.error("configuration change in {} rejected; the previous configuration keeps serving.\n{}", file, e.getMessage());
                    return new ReloadOutcome(false, e.problems(), "rejected: the previous configuration keeps serving");
                }
            }
        }, false);
    }

    @Override
    public GatewayConfig current() {
        return gateway.get().state().config();
    }

    public long appliedCount() {
        return applied.get();
    }

    public long rejectedCount() {
        return rejected.get();
    }

    private static byte[] digest(Path file) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }
}
