package dev.switchyard.app;

import dev.switchyard.accounting.ModelLimits;
import dev.switchyard.config.ConfigException;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.web.ConfigApi;
import dev.switchyard.web.UsageApi;
import dev.switchyard.web.dashboard.Dashboard;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command line: run the gateway, or validate a configuration file. */
public final class Main {
    static final String USAGE = """
            Switchyard — an OpenAI-compatible LLM gateway

            Usage:
              java -jar target/switchyard.jar --config FILE [--port N]   run the gateway
              java -jar target/switchyard.jar --demo [--port N]          run on the built-in demo config (no API keys)
              java -jar target/switchyard.jar validate-config FILE        check a config file and exit (0 = valid)
              java -jar target/switchyard.jar --help

            The config file may also be given as SWITCHYARD_CONFIG. Values written env:NAME are read from the
            environment. See README.md for the configuration reference.
            """;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** @return the process exit code: 0 ok, 2 usage error, 3 invalid config, 4 could not start */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System::getenv);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, reading {@code SWITCHYARD_CONFIG} and {@code env:NAME} values from {@code env}. */
    static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
        String configFile = env.apply("SWITCHYARD_CONFIG");
        boolean demo = false;
        Integer port = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help", "help" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "validate-config" -> {
                    if (i + 1 >= args.length) {
                        err.println("validate-config needs a file: switchyard validate-config FILE");
                        return 2;
                    }
                    return validate(Path.of(args[i + 1]), out, err, env);
                }
                case "--config", "-c" -> {
                    if (++i >= args.length) return usageError(err, "--config needs a file");
                    configFile = args[i];
                }
                case "--demo" -> demo = true;
                case "--port", "-p" -> {
                    if (++i >= args.length) return usageError(err, "--port needs a number");
                    port = port(args[i]);
                    if (port == null) return usageError(err, "--port must be a number from 0 to 65535, got '" + args[i] + "'");
                }
                default -> {
                    if (args[i].startsWith("--config=")) configFile = args[i].substring(9);
                    else if (args[i].startsWith("--port=")) {
                        // same rule as "--port N": 70000 must not get as far as a failed bind
                        port = port(args[i].substring(7));
                        if (port == null) {
                            return usageError(err, "--port must be a number from 0 to 65535, got '" + args[i].substring(7) + "'");
                        }
                    } else return usageError(err, "unknown argument '" + args[i] + "'");
                }
            }
        }
        GatewayConfig config;
        ProviderRegistry registry = ProviderRegistry.standard(ModelLimits.bundled()::maxOutputTokens);
        ConfigLoader loader = new ConfigLoader(registry, env);
        try {
            if (demo) config = loader.parse(demoYaml(), "built-in demo config");
            else if (configFile != null) config = loader.load(Path.of(configFile));
            else return usageError(err, "no configuration: pass --config FILE, set SWITCHYARD_CONFIG, or use --demo");
        } catch (ConfigException e) {
            err.println("switchyard: " + e.getMessage());
            err.println("Fix the problems above and start again (check a file with: switchyard validate-config FILE).");
            return 3;
        }
        if (port != null) {
            config = new GatewayConfig(new GatewayConfig.Server(config.server().host(), port, config.server().maxBodyBytes(),
                    config.server().shutdownGrace()), config.auth(), config.providers(), config.models(), config.routing(),
                    config.priceOverrides(), config.store(), config.otlpEndpoint());
        }
        return serve(config, registry, loader, demo ? null : Path.of(configFile), err, env);
    }

    private static Integer port(String text) {
        try {
            int p = Integer.parseInt(text.trim());
            return p >= 0 && p <= 65535 ? p : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int serve(GatewayConfig config, ProviderRegistry registry, ConfigLoader loader, Path configFile,
            PrintStream err, Function<String, String> env) {
        boolean demo = configFile == null;
        Logger log = LoggerFactory.getLogger(Main.class);
        int loops = Runtime.getRuntime().availableProcessors();
        Accounting accounting;
        try {
            accounting = Accounting.open(config);
        } catch (IllegalArgumentException e) {
            err.println("switchyard: store.url: " + e.getMessage());
            return 3;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        Gateway gateway;
        AtomicReference<Gateway> running = new AtomicReference<>();
        ConfigReloader reloader = new ConfigReloader(vertx, running::get, loader, configFile);
        try {
            UsageApi usage = accounting.usageApi();
            // breaker states come from the running gateway; the dashboard shows none until it has started
            Dashboard dashboard = new Dashboard(usage, () -> running.get() == null ? null : running.get().health());
            gateway = Gateway.start(vertx, config, registry, env, loops,
                    accounting.outcomes().andThen(Gateway::logOutcome),
                    new Gateway.Extensions(List.of(new ConfigApi(reloader), usage, dashboard)), accounting.costQuote())
                    .await(30, TimeUnit.SECONDS);
            running.set(gateway);
            reloader.watch(1000);
        } catch (Exception e) {
            accounting.close();
            err.println("switchyard: could not start on " + config.server().host() + ":" + config.server().port() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + ". Is another process using the port? Choose another with --port.");
            vertx.close();
            return 4;
        }
        log.info("Switchyard listening on http://{}:{}/v1 ({} providers, {} models{})", config.server().host(), gateway.port(),
                config.providers().size(), config.models().size(), demo ? ", demo config: key sk-switchyard-demo" : "");
        if (config.auth().adminKey() != null) {
            log.info("Dashboard on http://{}:{}/dashboard (sign in with the admin key{})", config.server().host(), gateway.port(),
                    demo ? " demo-admin-key" : "");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Duration grace = config.server().shutdownGrace();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down: no new requests; waiting up to {} for in-flight requests", grace);
            try {
                gateway.shutdown(grace).await(grace.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.warn("shutdown did not finish cleanly: {}", e.toString());
            }
            // after the last request has ended: write out every queued usage record
            accounting.close(Duration.ofSeconds(10));
            try {
                vertx.close().await(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("shutdown did not finish cleanly: {}", e.toString());
            }
            log.info("stopped");
            stopped.countDown();
        }, "switchyard-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static int validate(Path file, PrintStream out, PrintStream err, Function<String, String> env) {
        try {
            GatewayConfig c = new ConfigLoader(ProviderRegistry.standard(), env).load(file);
            out.println(file + ": valid (" + c.providers().size() + " providers, " + c.models().size() + " models)");
            return 0;
        } catch (ConfigException e) {
            err.println(file + ": " + e.getMessage());
            return 3;
        }
    }

    static String demoYaml() {
        try (InputStream in = Main.class.getResourceAsStream("/switchyard/demo.yaml")) {
            if (in == null) throw new IllegalStateException("demo config missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int usageError(PrintStream err, String msg) {
        err.println("switchyard: " + msg);
        err.println("Run with --help for usage.");
        return 2;
    }
}
