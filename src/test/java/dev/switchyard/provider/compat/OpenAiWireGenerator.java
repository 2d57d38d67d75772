package dev.switchyard.provider.compat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Seeded OpenAI-shaped responses and chunks, varied the ways real servers vary them (field order, extra
 * members of every JSON type, escapes and unicode, usage dialects, tool calls, errors) plus the rare odd
 * shapes the scanner must leave to Jackson. Mostly well-formed: breaking them is the corruption test's job.
 */
final class OpenAiWireGenerator {
    record Member(String name, Object value) {}

    record Obj(List<Member> members) {}

    /** a number or string exactly as written in the JSON text */
    record Raw(String json) {}

    private static final String[] REASONS = {"stop", "length", "tool_calls", "content_filter", "function_call", "", "end_turn", "pause_turn", "fin\u00e9", "\u505c\u6b62"};
    private static final String[] PIECES = {"Hello", " world", "!", "\n", "\"", "\\", "\t", "/", "\u0001", "\u001f", "\u007f", "\u00e9", "\u65e5\u672c",
            "\uD83D\uDE80", "\u2028", "{\"city\":\"Paris\"}", "  ", "9.8", "<b>", "\r\n", "\u0000"};
    private static final String[] EXTRA_NAMES = {"logprobs", "service_tier", "meta", "annotations", "citations", "obfuscation", "stats", "k",
            "\u00fcn\u00efc\u00f6d\u00e9", "", "usage_", "choice", "errors", "x_groq_", "content_filter_results"};
    private static final String[] NUMBERS = {"0", "-0", "7", "-12", "1.5", "-0.0", "1e-7", "2E+10", "3e2", "0.000", "123456789012345678901234567890", "6.02e23"};

    private final Random r;
    private double escapeRate;
    private boolean pretty;

    OpenAiWireGenerator(long seed) {
        r = new Random(seed);
    }

    byte[] next() {
        escapeRate = chance(0.7) ? 0 : 0.08;
        pretty = chance(0.2);
        StringBuilder sb = new StringBuilder();
        if (chance(0.05)) sb.append(pick(" ", "\n", "\r\n\t "));
        write(sb, response());
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Obj response() {
        boolean chunk = r.nextBoolean();
        List<Member> m = new ArrayList<>();
        m.add(new Member("id", "chatcmpl-" + r.nextInt(1_000_000)));
        m.add(new Member("object", chunk ? "chat.completion.chunk" : "chat.completion"));
        m.add(new Member("created", (long) 1_700_000_000 + r.nextInt(1000)));
        m.add(new Member("model", pick("gpt-4o-mini", "deepseek-reasoner", "llama-3.1-8b-instant", "m\u00e9t\u00e9o-\uD83D\uDE80")));
        if (chance(0.9)) m.add(new Member("choices", choices(chunk)));
        if (chance(0.6)) m.add(new Member("usage", usageValue()));
        if (chance(0.06)) m.add(new Member("error", errorValue()));
        if (chance(0.03)) m.add(new Member("x_groq", new Obj(new ArrayList<>(List.of(new Member("id", "req_1"), new Member("usage", usage()))))));
        if (chance(0.3)) m.add(new Member("system_fingerprint", "fp_" + r.nextInt(999)));
        if (chance(0.1)) m.add(new Member("prompt_filter_results", List.of(filterResults())));
        extras(m, 0);
        return finish(m);
    }

    private Object choices(boolean chunk) {
        double p = r.nextDouble();
        if (p < 0.05) return null;
        if (p < 0.15) return List.of();
        if (p < 0.16) return choice(chunk); // an object where an array belongs
        List<Object> list = new ArrayList<>();
        int n = 1 + (chance(0.8) ? 0 : r.nextInt(3));
        for (int i = 0; i < n; i++) list.add(choice(chunk));
        if (chance(0.01)) list.add(pick(null, 1L, "x", List.of()));
        return list;
    }

    private Obj choice(boolean chunk) {
        List<Member> m = new ArrayList<>();
        m.add(new Member("index", (long) r.nextInt(3)));
        m.add(new Member(chunk ? "delta" : "message", chance(0.02) ? pick(null, "x", List.of()) : delta()));
        if (chance(0.6)) m.add(new Member("logprobs", chance(0.8) ? null : new Obj(new ArrayList<>(List.of(new Member("content", List.of()))))));
        if (chance(0.9)) m.add(new Member("finish_reason", chance(0.5) ? null : chance(0.05) ? (Object) 3L : pick(REASONS)));
        if (chance(0.1)) m.add(new Member("content_filter_results", filterResults()));
        extras(m, 1);
        return finish(m);
    }

    private Obj delta() {
        List<Member> m = new ArrayList<>();
        if (chance(0.5)) m.add(new Member("role", "assistant"));
        if (chance(0.8)) m.add(new Member("content", contentValue()));
        if (chance(0.15)) m.add(new Member(pick("reasoning_content", "reasoning"), contentValue()));
        if (chance(0.1)) m.add(new Member("refusal", contentValue()));
        if (chance(0.2)) m.add(new Member("tool_calls", toolCalls()));
        if (chance(0.03)) m.add(new Member("function_call", chance(0.8) ? function() : null));
        extras(m, 2);
        return finish(m);
    }

    private Object contentValue() {
        double p = r.nextDouble();
        if (p < 0.2) return null;
        if (p < 0.35) return "";
        if (p < 0.37) return List.of(new Obj(new ArrayList<>(List.of(new Member("type", "text"), new Member("text", text()))))); // content parts
        if (p < 0.38) return pick(1L, true, new Raw("\"\\ud83d\""));
        return text();
    }

    private Object toolCalls() {
        if (chance(0.1)) return null;
        List<Object> calls = new ArrayList<>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            calls.add(new Obj(new ArrayList<>(List.of(new Member("index", (long) i), new Member("id", "call_" + i),
                    new Member("type", "function"), new Member("function", function())))));
        }
        return calls;
    }

    private Obj function() {
        return new Obj(new ArrayList<>(List.of(new Member("name", "get_weather"), new Member("arguments", "{\"city\":\"" + text() + "\"}"))));
    }

    private Obj filterResults() {
        return new Obj(new ArrayList<>(List.of(new Member("hate", new Obj(new ArrayList<>(List.of(
                new Member("filtered", r.nextBoolean()), new Member("severity", "safe"))))))));
    }

    private Object usageValue() {
        double p = r.nextDouble();
        if (p < 0.1) return null;
        if (p < 0.11) return pick(List.of(), "n/a", 0L);
        return usage();
    }

    private Obj usage() {
        List<Member> m = new ArrayList<>();
        m.add(new Member("prompt_tokens", count()));
        m.add(new Member("completion_tokens", count()));
        m.add(new Member("total_tokens", count()));
        if (chance(0.6)) m.add(new Member("prompt_tokens_details", details("cached_tokens", "audio_tokens")));
        if (chance(0.6)) m.add(new Member("completion_tokens_details", details("reasoning_tokens", "accepted_prediction_tokens")));
        if (chance(0.25)) {
            m.add(new Member("prompt_cache_hit_tokens", count()));
            m.add(new Member("prompt_cache_miss_tokens", count()));
        }
        if (chance(0.05)) m.add(new Member("queue_time", new Raw("0.01")));
        extras(m, 2);
        return finish(m);
    }

    private Object details(String field, String other) {
        if (chance(0.1)) return null;
        if (chance(0.01)) return List.of(1L);
        List<Member> m = new ArrayList<>();
        if (chance(0.9)) m.add(new Member(field, count()));
        if (chance(0.5)) m.add(new Member(other, count()));
        return finish(m);
    }

    /** Mostly plain counts, now and then a form only Jackson's getValueAsLong should judge. */
    private Object count() {
        if (chance(0.98)) return chance(0.2) ? 0L : (long) r.nextInt(100_000);
        return pick(new Raw("12.0"), new Raw("1e3"), new Raw("-3"), new Raw("-0"), "15", null, true,
                new Raw("1234567890123456789"), new Raw("99999999999999999999"), new Obj(new ArrayList<>()));
    }

    private Object errorValue() {
        return pick(new Obj(new ArrayList<>(List.of(new Member("message", text()), new Member("type", "server_error"),
                new Member("code", chance(0.5) ? null : (Object) 500L), new Member("param", null)))), "overloaded", null, 500L, List.of());
    }

    private void extras(List<Member> m, int depth) {
        int n = chance(0.6) ? 0 : 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) m.add(new Member(chance(0.03) ? "a\"b" : pick(EXTRA_NAMES), value(depth)));
    }

    private Object value(int depth) {
        int kind = r.nextInt(depth >= 3 ? 5 : 7);
        return switch (kind) {
            case 0 -> text();
            case 1 -> new Raw(pick(NUMBERS));
            case 2 -> (long) r.nextInt();
            case 3 -> pick(true, false);
            case 4 -> null;
            case 5 -> {
                List<Member> m = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) m.add(new Member(pick(EXTRA_NAMES), value(depth + 1)));
                yield new Obj(m);
            }
            default -> {
                List<Object> a = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) a.add(value(depth + 1));
                yield a;
            }
        };
    }

    private String text() {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(6); i >= 0; i--) sb.append(pick(PIECES));
        return sb.toString();
    }

    private Obj finish(List<Member> m) {
        if (chance(0.5)) Collections.shuffle(m, r);
        if (!m.isEmpty() && chance(0.02)) m.add(m.get(r.nextInt(m.size()))); // a repeated member
        return new Obj(m);
    }

    private void write(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> quote(sb, s, escapeRate);
            case Raw raw -> sb.append(raw.json());
            case Obj o -> {
                sb.append('{');
                for (int i = 0; i < o.members().size(); i++) {
                    if (i > 0) sb.append(',');
                    space(sb);
                    quote(sb, o.members().get(i).name(), escapeRate / 20);
                    space(sb);
                    sb.append(':');
                    space(sb);
                    write(sb, o.members().get(i).value());
                }
                space(sb);
                sb.append('}');
            }
            case List<?> list -> {
                sb.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) sb.append(',');
                    space(sb);
                    write(sb, list.get(i));
                }
                space(sb);
                sb.append(']');
            }
            default -> sb.append(v); // Long, Boolean
        }
    }

    private void space(StringBuilder sb) {
        if (pretty) sb.append(pick(" ", "\n  ", "\t", "\r\n", ""));
    }

    private void quote(StringBuilder sb, String s, double escapeRate) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append(chance(0.5) ? "\\t" : "\\u0009");
                case '\r' -> sb.append("\\r");
                case '/' -> sb.append(chance(escapeRate * 5) ? "\\/" : "/");
                default -> {
                    if (c < 0x20 || chance(escapeRate)) sb.append(String.format("\\u%04" + (chance(0.5) ? "x" : "X"), (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    private boolean chance(double p) {
        return r.nextDouble() < p;
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[r.nextInt(options.length)];
    }
}
