package dev.switchyard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyFromEnvTest {
    private static final URI HTTPS = URI.create("https://api.openai.com/v1");
    private static final URI HTTP = URI.create("http://vllm.internal:8000/v1");

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static String proxy(URI target, Map<String, String> env) {
        ProxyOptions p = ProxyFromEnv.select(target, env::get);
        if (p == null) return null;
        assertThat(p.getType()).isEqualTo(ProxyType.HTTP);
        return p.getHost() + ":" + p.getPort();
    }

    @Test
    void noVariablesMeansDirect() {
        assertThat(proxy(HTTPS, env())).isNull();
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", ""))).isNull();
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", "  "))).isNull();
    }

    @Test
    void schemePicksTheVariable() {
        Map<String, String> e = env("HTTPS_PROXY", "http://secure-proxy:3128", "HTTP_PROXY", "http://plain-proxy:8080");
        assertThat(proxy(HTTPS, e)).isEqualTo("secure-proxy:3128");
        assertThat(proxy(HTTP, e)).isEqualTo("plain-proxy:8080");
        assertThat(proxy(HTTP, env("HTTPS_PROXY", "http://secure-proxy:3128"))).isNull();
        assertThat(proxy(HTTPS, env("HTTP_PROXY", "http://plain-proxy:8080"))).isNull();
    }

    @Test
    void lowerCaseVariablesWorkAndUpperCaseWins() {
        assertThat(proxy(HTTPS, env("https_proxy", "http://lower:1"))).isEqualTo("lower:1");
        assertThat(proxy(HTTP, env("http_proxy", "http://lower:2"))).isEqualTo("lower:2");
        assertThat(proxy(HTTPS, env("https_proxy", "http://lower:1", "HTTPS_PROXY", "http://upper:1"))).isEqualTo("upper:1");
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", "http://p:1", "no_proxy", "openai.com"))).isNull();
    }

    @Test
    void proxyWithoutSchemeOrPort() {
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", "proxy.corp:3128"))).isEqualTo("proxy.corp:3128");
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", "http://proxy.corp"))).isEqualTo("proxy.corp:80");
    }

    @Test
    void credentialsAreTakenFromTheProxyUrl() {
        ProxyOptions p = ProxyFromEnv.select(HTTPS, env("HTTPS_PROXY", "http://alice:s%40cret:x@proxy:3128")::get);
        assertThat(p.getUsername()).isEqualTo("alice");
        assertThat(p.getPassword()).isEqualTo("s@cret:x");
        ProxyOptions userOnly = ProxyFromEnv.select(HTTPS, env("HTTPS_PROXY", "http://bob@proxy:3128")::get);
        assertThat(userOnly.getUsername()).isEqualTo("bob");
        assertThat(userOnly.getPassword()).isNull();
        assertThat(ProxyFromEnv.select(HTTPS, env("HTTPS_PROXY", "http://proxy:3128")::get).getUsername()).isNull();
    }

    @Test
    void noProxyStarBypassesEverything() {
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", "http://p:1", "NO_PROXY", "*"))).isNull();
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", "http://p:1", "NO_PROXY", "a.example, * "))).isNull();
    }

    @Test
    void noProxyDomainsAndSuffixes() {
        String p = "http://p:1";
        // a bare domain matches itself and its subdomains, not look-alikes
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", p, "NO_PROXY", "openai.com"))).isNull();
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", p, "NO_PROXY", "api.openai.com"))).isNull();
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", p, "NO_PROXY", "penai.com"))).isEqualTo("p:1");
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", p, "NO_PROXY", "ai.com"))).isEqualTo("p:1");
        // a leading dot or *. matches subdomains only
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", p, "NO_PROXY", ".openai.com"))).isNull();
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", p, "NO_PROXY", "*.openai.com"))).isNull();
        assertThat(proxy(URI.create("https://openai.com/v1"), env("HTTPS_PROXY", p, "NO_PROXY", ".openai.com"))).isEqualTo("p:1");
        // lists with spaces and empty entries, case-insensitive
        assertThat(proxy(HTTP, env("HTTP_PROXY", p, "NO_PROXY", " localhost, ,VLLM.Internal ,10.0.0.1"))).isNull();
        assertThat(proxy(HTTP, env("HTTP_PROXY", p, "NO_PROXY", "localhost,127.0.0.1"))).isEqualTo("p:1");
    }

    @Test
    void noProxyHostPortEntriesMatchOnlyThatPort() {
        String p = "http://p:1";
        assertThat(proxy(HTTP, env("HTTP_PROXY", p, "NO_PROXY", "vllm.internal:8000"))).isNull();
        assertThat(proxy(HTTP, env("HTTP_PROXY", p, "NO_PROXY", "vllm.internal:9000"))).isEqualTo("p:1");
        // no port in the URL: the scheme's default port is the one compared
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", p, "NO_PROXY", "api.openai.com:443"))).isNull();
        assertThat(proxy(URI.create("http://plain.example/v1"), env("HTTP_PROXY", p, "NO_PROXY", "plain.example:80"))).isNull();
        assertThat(proxy(HTTPS, env("HTTPS_PROXY", p, "NO_PROXY", "api.openai.com:80"))).isEqualTo("p:1");
    }

    @Test
    void ipLiterals() {
        String p = "http://p:1";
        URI ip = URI.create("http://10.1.2.3:8000/v1");
        assertThat(proxy(ip, env("HTTP_PROXY", p, "NO_PROXY", "10.1.2.3"))).isNull();
        assertThat(proxy(ip, env("HTTP_PROXY", p, "NO_PROXY", "10.1.2.3:8000"))).isNull();
        assertThat(proxy(ip, env("HTTP_PROXY", p, "NO_PROXY", "0.1.2.3"))).isEqualTo("p:1");
    }
}
