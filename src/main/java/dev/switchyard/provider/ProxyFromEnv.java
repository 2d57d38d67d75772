package dev.switchyard.provider;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.net.URI;
import java.util.Locale;
import java.util.function.Function;

/**
 * Honours {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} (either case), as curl and most
 * SDKs do, so corporate egress works without Switchyard-specific settings.
 */
public final class ProxyFromEnv {
    private ProxyFromEnv() {}

    /** @return the proxy used for {@code target}, or null for a direct connection */
    public static ProxyOptions select(URI target, Function<String, String> env) {
        String host = target.getHost();
        // a URL without a port uses its scheme's, and NO_PROXY's host:port entries compare against that
        int port = target.getPort() > 0 ? target.getPort() : "https".equals(target.getScheme()) ? 443 : 80;
        if (host == null || bypassed(host, port, get(env, "NO_PROXY"))) return null;
        String proxy = "https".equals(target.getScheme()) ? get(env, "HTTPS_PROXY") : get(env, "HTTP_PROXY");
        if (proxy == null || proxy.isBlank()) return null;
        URI p = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
        ProxyOptions o = new ProxyOptions().setType(ProxyType.HTTP).setHost(p.getHost())
                .setPort(p.getPort() > 0 ? p.getPort() : 80);
        String userInfo = p.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            o.setUsername(colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (colon >= 0) o.setPassword(userInfo.substring(colon + 1));
        }
        return o;
    }

    static void apply(HttpClientOptions options, URI target, Function<String, String> env) {
        ProxyOptions p = select(target, env);
        if (p != null) options.setProxyOptions(p);
    }

    private static String get(Function<String, String> env, String name) {
        String v = env.apply(name);
        return v != null ? v : env.apply(name.toLowerCase(Locale.ROOT));
    }

    static boolean bypassed(String host, int port, String noProxy) {
        if (noProxy == null || noProxy.isBlank()) return false;
        String h = host.toLowerCase(Locale.ROOT);
        for (String raw : noProxy.split(",")) {
            String e = raw.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) continue;
            if (e.equals("*")) return true;
            int colon = e.lastIndexOf(':');
            if (colon > 0 && !e.contains("]") && e.indexOf(':') == colon) {
                String p = e.substring(colon + 1);
                e = e.substring(0, colon);
                if (!p.equals(Integer.toString(port))) continue;
            }
            if (e.startsWith("*.")) e = e.substring(1);
            if (h.equals(e) || (e.startsWith(".") ? h.endsWith(e) : h.endsWith("." + e))) return true;
        }
        return false;
    }
}
