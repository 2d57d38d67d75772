package dev.switchyard.web.dashboard;

import dev.switchyard.auth.KeyRing;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard's files, read from the jar once at startup and served from memory: the page, its stylesheet and
 * JavaScript modules ({@code src/main/resources/dashboard/}), and uPlot from its WebJar. No file system lookup at
 * request time, so nothing on disk beside the process can shadow or add a file. Revalidated by ETag.
 */
final class DashboardAssets {
    /** Every file under {@code dashboard/} in the jar; DashboardAssetsTest fails when this list and the folder differ. */
    static final List<String> FILES = List.of("index.html", "app.css", "favicon.svg", "js/main.js", "js/api.js", "js/format.js",
            "js/overview.js", "js/tables.js", "js/charts.js", "js/requests.js", "js/state.js");
    /** uPlot's files, served under {@code vendor/uplot/}. */
    static final List<String> UPLOT_FILES = List.of("uPlot.esm.js", "uPlot.min.css");

    record Asset(Buffer body, String contentType, String etag) {}

    private final Map<String, Asset> byPath;

    private DashboardAssets(Map<String, Asset> byPath) {
        this.byPath = byPath;
    }

    /** Loads everything now (blocking, at startup); a missing file is a packaging bug and fails here, not later. */
    static DashboardAssets load() {
        Map<String, Asset> m = new LinkedHashMap<>();
        for (String f : FILES) m.put(f, asset("dashboard/" + f));
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        for (String f : UPLOT_FILES) m.put("vendor/uplot/" + f, asset(uplot + f));
        return new DashboardAssets(m);
    }

    /** The WebJar's version, from its own Maven metadata, so a version bump in the pom needs no code change. */
    static String uplotVersion() {
        try (InputStream in = resource("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param path relative to {@code /dashboard/}; "" is the page */
    boolean serve(RoutingContext ctx, String path) {
        Asset a = byPath.get(path.isEmpty() ? "index.html" : path);
        if (a == null) return false;
        var resp = ctx.response();
        resp.headers().set(HttpHeaders.ETAG, a.etag())
                // always revalidate: a new release must never run against a cached old module
                .set(HttpHeaders.CACHE_CONTROL, "no-cache");
        if (a.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            resp.setStatusCode(304).end();
            return true;
        }
        resp.headers().set(HttpHeaders.CONTENT_TYPE, a.contentType());
        resp.end(a.body());
        return true;
    }

    private static Asset asset(String resource) {
        try (InputStream in = resource(resource)) {
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(KeyRing.digest(bytes)).substring(0, 22) + "\"";
            return new Asset(Buffer.buffer(bytes), contentType(resource), etag);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(name);
        if (in == null) throw new IOException("the dashboard's " + name + " is missing from the jar");
        return in;
    }

    static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> "application/octet-stream";
        };
    }
}
