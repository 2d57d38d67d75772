package dev.switchyard.app;

import dev.switchyard.accounting.ModelLimits;
import dev.switchyard.config.ConfigException;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.web.ConfigApi;
import dev.switchyard.web.UsageApi;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.BindException;
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
import java.util.function.UnaryOperator;
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
        if (!demo && configFile == null) {
            return usageError(err, "no configuration: pass --config FILE, set SWITCHYARD_CONFIG, or use --demo");
        }
        ProviderRegistry registry = ProviderRegistry.standard(ModelLimits.bundled()::maxOutputTokens);
        Integer p = port;
        UnaryOperator<GatewayConfig> adjust = p == null ? c -> c : c -> new GatewayConfig(c.server().withPort(p), c.auth(),
                c.providers(), c.models(), c.routing(), c.priceOverrides(), c.store(), c.otlpEndpoint(), c.metricsPublic());
        return serve(new GatewayApp.Options(demo ? null : Path.of(configFile), demo ? demoYaml() : null, registry, env,
                Runtime.getRuntime().availableProcessors(), adjust, null, 1000, Gateway::logOutcome), err);
    }

    private static Integer port(String text) {
        try {
            int p = Integer.parseInt(text.trim());
            return p >= 0 && p <= 65535 ? p : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int serve(GatewayApp.Options options, PrintStream err) {
        boolean demo = options.file() == null;
        Logger log = LoggerFactory.getLogger(Main.class);
        // Metrics, percentiles and tracing exist before the gateway: the Vert.x instance reports its HTTP servers to
        // them. Their labels come from the configuration as the file gives it; cost arrives once accounting is open.
        GatewayConfig fileConfig = fileConfig(options);
        Observability observability = fileConfig == null ? null
                : Observability.create(fileConfig, options.registry(), options.costs());
        VertxOptions vo = new VertxOptions().setEventLoopPoolSize(options.instances()).setPreferNativeTransport(true);
        Vertx vertx = observability != null ? observability.newVertx(vo) : Vertx.vertx(vo);
        if (!vertx.isNativeTransportEnabled()) {
            Throwable why = vertx.unavailableNativeTransportCause();
            log.info("native transport unavailable ({}); using Java NIO", why == null ? "not supported here" : why.toString());
        }
        GatewayApp app;
        try {
            app = GatewayApp.start(vertx, options.withObservability(observability));
        } catch (ConfigException e) {
            vertx.close();
            if (observability != null) observability.close();
            err.println("switchyard: " + e.getMessage());
            err.println("Fix the problems above and start again (check a file with: switchyard validate-config FILE).");
            return 3;
        } catch (GatewayApp.StoreUnavailable e) {
            vertx.close();
            if (observability != null) observability.close();
            err.println("switchyard: " + e.getMessage());
            return 4;
        } catch (RuntimeException e) {
            vertx.close();
            if (observability != null) observability.close();
            String where = fileConfig == null ? "" : " on " + fileConfig.server().host() + ":" + fileConfig.server().port();
            err.println("switchyard: could not start" + where + ": " + startFailure(e));
            return 4;
        }
        if (config(app).otlpEndpoint() != null) log.info("exporting traces to {} (OTLP/HTTP)", config(app).otlpEndpoint());
        GatewayConfig config = app.gateway().state().config();
        log.info("Switchyard listening on http://{}:{}/v1 ({} providers, {} models{})", config.server().host(), app.gateway().port(),
                config.providers().size(), config.models().size(), demo ? ", demo config: key sk-switchyard-demo" : "");
        if (config.auth().adminKey() != null) {
            log.info("Dashboard on http://{}:{}/dashboard (sign in with the admin key{})", config.server().host(), app.gateway().port(),
                    demo ? " demo-admin-key" : "");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Duration grace = config.server().shutdownGrace();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down: no new requests; waiting up to {} for in-flight requests", grace);
            app.stop(grace);
            if (observability != null) observability.close(); // flushes queued trace spans
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

    /**
     * Why the gateway could not start, in the operator's terms. Only a failure to bind the listening socket gets a
     * hint about the port or host (which one depends on the errno text the JDK or Netty's native transport gives);
     * anything else is reported as the real cause, never guessed at.
     */
    static String startFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            boolean bind = t instanceof BindException || (t instanceof IOException && m.startsWith("bind("));
            if (!bind) continue;
            if (m.contains("Address already in use")) {
                return "the address is already in use. Is another process using the port? Choose another with --port.";
            }
            if (m.contains("Permission denied")) {
                return "permission denied (ports below 1024 need privileges). Choose another with --port.";
            }
            if (m.contains("assign requested address")) {
                return "this machine has no such address. Check server.host.";
            }
            return "could not bind the address: " + m;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
        return why.endsWith(".") ? why : why + ".";
    }

    /** The configuration as the file gives it (runtime layer aside); null when it cannot be read (start reports why). */
    private static GatewayConfig fileConfig(GatewayApp.Options o) {
        try {
            ConfigLoader loader = new ConfigLoader(o.registry(), o.env()).withRuntimeKeys(() -> true);
            return o.adjust().apply(loader.parse(o.file() != null ? ConfigLoader.tree(o.file())
                    : ConfigLoader.tree(o.builtIn(), "built-in demo config")));
        } catch (ConfigException e) {
            return null;
        }
    }

    private static GatewayConfig config(GatewayApp app) {
        return app.gateway().state().config();
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
