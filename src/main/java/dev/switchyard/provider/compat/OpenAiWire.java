package dev.switchyard.provider.compat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Streaming reads of OpenAI-format JSON (responses, chunks, errors) — only the few facts the gateway
 * needs, without building a tree. {@link #scan} tries {@link OpenAiFactsScanner} first and asks Jackson only
 * when the scanner cannot be sure.
 */
public final class OpenAiWire {
    static final JsonFactory JSON = new JsonFactory();

    /** What one scan of a response or chunk found. */
    public static final class Facts {
        public Usage usage;
        public String finishReason;
        public boolean content;
        public boolean emptyChoices;
        /** the whole input was one JSON object: false for HTML pages, truncated or empty bodies */
        public boolean wellFormed;
        /** a top-level {@code error} member that is not null: an error dressed as an answer */
        public boolean error;
    }

    private OpenAiWire() {}

    public static Facts scan(Buffer json) {
        return scan(json.getBytes());
    }

    public static Facts scan(byte[] json) {
        Facts f = OpenAiFactsScanner.scan(json);
        return f != null ? f : scanWithJackson(json);
    }

    /**
     * The reference reading, and what {@link #scan} falls back on whenever the byte scanner is not sure it
     * would agree with it.
     */
    static Facts scanWithJackson(byte[] json) {
        Facts f = new Facts();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return f;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "usage" -> {
                        if (v == JsonToken.START_OBJECT) f.usage = usage(p);
                    }
                    case "x_groq" -> {
                        if (v == JsonToken.START_OBJECT) groq(p, f);
                    }
                    case "choices" -> {
                        if (v == JsonToken.START_ARRAY) choices(p, f);
                    }
                    case "error" -> {
                        f.error = v == JsonToken.START_OBJECT || v == JsonToken.VALUE_STRING;
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            f.wellFormed = p.currentToken() == JsonToken.END_OBJECT;
        } catch (IOException e) {
            // a malformed chunk carries no facts; the relay still forwards or fails it as a whole
        }
        return f;
    }

    private static void groq(JsonParser p, Facts f) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("usage".equals(name) && v == JsonToken.START_OBJECT && f.usage == null) f.usage = usage(p);
            else p.skipChildren();
        }
    }

    private static void choices(JsonParser p, Facts f) throws IOException {
        int n = 0;
        while (p.nextToken() == JsonToken.START_OBJECT) {
            n++;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (("delta".equals(name) || "message".equals(name)) && v == JsonToken.START_OBJECT) {
                    delta(p, f);
                } else if ("finish_reason".equals(name) && v == JsonToken.VALUE_STRING) {
                    if (f.finishReason == null) f.finishReason = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }
        f.emptyChoices = n == 0;
    }

    private static void delta(JsonParser p, Facts f) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "content", "reasoning_content", "reasoning", "refusal" -> {
                    if (v == JsonToken.VALUE_STRING && p.getTextLength() > 0) f.content = true;
                }
                case "tool_calls", "function_call" -> {
                    if (v == JsonToken.START_ARRAY || v == JsonToken.START_OBJECT) f.content = true;
                    p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
    }

    /** Reads an OpenAI usage object; the parser is on its START_OBJECT. Knows DeepSeek's cache fields. */
    public static Usage usage(JsonParser p) throws IOException {
        long prompt = 0, completion = 0, cached = 0, reasoning = 0, cacheHit = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "prompt_tokens" -> prompt = p.getValueAsLong();
                case "completion_tokens" -> completion = p.getValueAsLong();
                case "prompt_cache_hit_tokens" -> cacheHit = p.getValueAsLong();
                case "prompt_tokens_details" -> {
                    if (v == JsonToken.START_OBJECT) cached = detail(p, "cached_tokens");
                }
                case "completion_tokens_details" -> {
                    if (v == JsonToken.START_OBJECT) reasoning = detail(p, "reasoning_tokens");
                }
                default -> p.skipChildren();
            }
        }
        if (cached == 0 && cacheHit > 0) cached = cacheHit;
        return new Usage(prompt, cached, 0, completion, reasoning);
    }

    private static long detail(JsonParser p, String field) throws IOException {
        long value = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (field.equals(name)) value = p.getValueAsLong();
            else p.skipChildren();
        }
        return value;
    }

    /**
     * Reads an error body, nested ({@code {"error":{…}}}) or flat ({@code {"object":"error","message":…}}).
     * Returns null when the body is not a recognisable error.
     */
    public static ApiError error(Buffer body, int status) {
        String message = null, type = null, code = null, param = null;
        try (JsonParser p = JSON.createParser(body.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            boolean flat = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("error".equals(name) && v == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String n = p.currentName();
                        JsonToken t = p.nextToken();
                        String s = t.isScalarValue() && t != JsonToken.VALUE_NULL ? p.getText() : null;
                        switch (n) {
                            case "message" -> message = s;
                            case "type" -> type = s;
                            case "code" -> code = s;
                            case "param" -> param = s;
                            default -> p.skipChildren();
                        }
                    }
                } else if ("error".equals(name) && v == JsonToken.VALUE_STRING) {
                    message = p.getText();
                } else if (v.isScalarValue()) {
                    String s = v == JsonToken.VALUE_NULL ? null : p.getText();
                    switch (name) {
                        case "object" -> flat = "error".equals(s);
                        case "message" -> message = flat || message == null ? s : message;
                        case "type" -> type = type == null ? s : type;
                        case "code" -> code = code == null ? s : code;
                        case "param" -> param = param == null ? s : param;
                        default -> { }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        if (message == null) return null;
        return new ApiError(status, type == null ? "upstream_error" : type, code, param, message);
    }
}
