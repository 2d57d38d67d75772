package dev.switchyard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.testkit.RawClient;
import dev.switchyard.testkit.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * HTTP details real clients depend on. curl sends {@code Expect: 100-continue} for bodies over 1 KiB and
 * waits for the server's go-ahead before sending them; a gateway that never answers makes every such
 * request stall for the client's expect timeout.
 */
class HttpProtocolE2ETest extends E2ESupport {

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsSent() throws IOException {
        gateway();
        a.enqueue(Reply.text("ok"));
        byte[] body = chatBody("chat", false).getBytes(StandardCharsets.UTF_8);

        try (Socket s = connect()) {
            writeHead(s.getOutputStream(), "Bearer " + KEY, body.length);
            // Nothing of the body has been sent: the server must speak first.
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 100");
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
        }
        assertThat(a.onlyRequest().model()).isEqualTo("model-a");
    }

    @Test
    void expectContinueWithAWrongKeyIsRefusedWithoutInvitingTheBody() throws IOException {
        gateway();
        try (Socket s = connect()) {
            writeHead(s.getOutputStream(), "Bearer sk-wrong", 100);
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void expectContinueWithAnOversizedBodyIsRefusedWithoutInvitingIt() throws IOException {
        gateway(); // max_body_bytes: 4KiB
        try (Socket s = connect()) {
            writeHead(s.getOutputStream(), "Bearer " + KEY, 1_000_000);
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 413");
        }
        assertThat(a.requestCount()).isZero();
    }

    @Test
    void jdkClientExpectingContinueGetsItsAnswer() {
        gateway();
        a.enqueue(Reply.text("ok"));
        RawClient.Response r = raw.postExpectingContinue("/v1/chat/completions", chatBody("chat", false), withAuth());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/choices/0/message/content").asText()).isEqualTo("ok");
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), gw.port());
        s.setSoTimeout(20_000); // a hang guard only: a correct server answers at once
        return s;
    }

    private static void writeHead(OutputStream out, String auth, int length) throws IOException {
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + auth
                + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\nExpect: 100-continue\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one response head (status line and headers, through the blank line); returns it. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String s = b.toString(StandardCharsets.US_ASCII);
            if (s.endsWith("\r\n\r\n")) return s;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
