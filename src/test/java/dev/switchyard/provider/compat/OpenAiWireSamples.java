package dev.switchyard.provider.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Inputs and the comparison shared by the scanner's tests. */
final class OpenAiWireSamples {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private OpenAiWireSamples() {}

    /**
     * Every OpenAI-format body and stream chunk in the golden fixtures: upstream bodies, SSE data lines, and
     * the gateway's own answers (what other providers are translated into).
     */
    static List<byte[]> golden() {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(GOLDEN)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.getFileName().toString();
                String text = Files.readString(p);
                if (!text.contains("chat.completion") || name.endsWith(".meta.json")) continue;
                if (name.endsWith(".json")) {
                    out.add(utf8(text));
                } else if (name.endsWith(".sse") || name.endsWith(".jsonl")) {
                    for (String line : text.split("\n")) {
                        String data = name.endsWith(".sse") ? sseData(line) : line;
                        if (data != null && !data.isBlank() && !data.startsWith("[DONE]")) out.add(utf8(data));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** One fixture file, e.g. {@code openai/chat-basic/upstream-response.json}. */
    static byte[] fixture(String path) {
        try {
            return Files.readAllBytes(GOLDEN.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sseData(String line) {
        if (!line.startsWith("data:")) return null;
        String data = line.substring(5);
        return data.startsWith(" ") ? data.substring(1) : data;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@link OpenAiWire#scan} (fast path or not) and the Jackson reference agree on every fact. */
    static void assertAgrees(byte[] input) {
        OpenAiWire.Facts got = OpenAiWire.scan(input);
        OpenAiWire.Facts want = OpenAiWire.scanWithJackson(input);
        // compared by hand first: naming the input for AssertJ on every call would cost most of the test's time
        if (got.wellFormed == want.wellFormed && Objects.equals(got.usage, want.usage) && Objects.equals(got.finishReason, want.finishReason)
                && got.content == want.content && got.emptyChoices == want.emptyChoices && got.error == want.error) {
            return;
        }
        assertThat(summary(got)).as("facts of %s", describe(input)).isEqualTo(summary(want));
    }

    static String summary(OpenAiWire.Facts f) {
        return "wellFormed=" + f.wellFormed + " usage=" + f.usage + " finishReason=" + (f.finishReason == null ? null : '"' + f.finishReason + '"') + " content=" + f.content
                + " emptyChoices=" + f.emptyChoices + " error=" + f.error;
    }

    /** The input with bytes outside printable ASCII shown as \xNN, so a failure names what it was. */
    static String describe(byte[] input) {
        StringBuilder sb = new StringBuilder();
        for (byte c : input) {
            if (c >= 0x20 && c < 0x7F) sb.append((char) c);
            else sb.append(String.format("\\x%02X", c & 0xFF));
        }
        return sb.toString();
    }
}
