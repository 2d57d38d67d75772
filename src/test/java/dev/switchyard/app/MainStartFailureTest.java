package dev.switchyard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start failure names its real cause; the port hint is given only when the port really is taken. */
class MainStartFailureTest {
    @Test
    void aTakenPortSaysSo(@TempDir Path dir) throws Exception {
        // its own store in a temporary folder: the demo's default (./data) belongs to whoever runs the tests
        Path config = dir.resolve("switchyard.yaml");
        Files.writeString(config, """
                auth: { keys: [{ name: t, key: sk-test }] }
                providers: { sim: { type: simulated } }
                models: { chat: { targets: [sim/small] } }
                store: { url: "sqlite:%s" }
                """.formatted(dir.resolve("ledger.db").toString().replace('\\', '/')));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"--config", config.toString(), "--port", Integer.toString(taken.getLocalPort())},
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).isEqualTo(4);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("could not start on 127.0.0.1:" + taken.getLocalPort())
                    .contains("Is another process using the port?");
        }
    }

    @Test
    void otherFailuresGiveTheirRealCauseAndNoPortHint() {
        String msg = Main.startFailure(new CompletionException(new IllegalStateException("TLS key file unreadable")));
        assertThat(msg).isEqualTo("IllegalStateException: TLS key file unreadable.").doesNotContain("port");
        assertThat(Main.startFailure(new java.util.concurrent.TimeoutException())).isEqualTo("TimeoutException.");
    }

    @Test
    void bindErrorsOtherThanATakenPortGetTheirOwnHint() {
        assertThat(Main.startFailure(new java.net.BindException("Permission denied"))).contains("below 1024").doesNotContain("another process");
        assertThat(Main.startFailure(new java.io.IOException("bind(..) failed: Cannot assign requested address")))
                .contains("server.host").doesNotContain("another process");
    }
}
