package dev.switchyard.provider.gemini;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Gemini's {@code GenerateContentResponse} (whole or as one stream event) and Google RPC error
 * bodies with Jackson's streaming parser, keeping only what the translation needs.
 */
final class GeminiWire {
    static final JsonFactory JSON = new JsonFactory();

    /** One response or stream event. */
    record Reply(String responseId, String modelVersion, List<Candidate> candidates, String blockReason,
            UsageMetadata usage, GoogleError error) {}

    record Candidate(int index, List<Part> parts, String finishReason) {
        boolean hasFunctionCall() {
            for (Part p : parts) if (p instanceof FunctionCall) return true;
            return false;
        }
    }

    sealed interface Part permits Text, FunctionCall {}

    /** @param thought a thinking summary rather than answer text */
    record Text(String text, boolean thought) implements Part {}

    /**
     * @param id        Gemini's own call id, rarely present; null otherwise
     * @param argsJson  the complete {@code args} object as JSON text
     */
    record FunctionCall(String id, String name, String argsJson, String thoughtSignature) implements Part {}

    record UsageMetadata(long prompt, long candidates, long cached, long thoughts, long toolUsePrompt) {}

    /**
     * A Google RPC error.
     *
     * @param retryDelay from a {@code RetryInfo} detail, or null
     * @param reasons    {@code ErrorInfo.reason} values, e.g. {@code API_KEY_INVALID}
     */
    record GoogleError(int code, String status, String message, Duration retryDelay, List<String> reasons) {}

    private GeminiWire() {}

    static Reply reply(Buffer json) {
        try (JsonParser p = JSON.createParser(json.getBytes())) {
            return reply(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Gemini answer is not valid JSON", e);
        }
    }

    private static Reply reply(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
        String id = null, model = null, block = null;
        List<Candidate> candidates = List.of();
        UsageMetadata usage = null;
        GoogleError error = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "responseId" -> id = text(p, v);
                case "modelVersion" -> model = text(p, v);
                case "candidates" -> {
                    if (v == JsonToken.START_ARRAY) candidates = candidates(p);
                    else p.skipChildren();
                }
                case "promptFeedback" -> block = field(p, v, "blockReason");
                case "usageMetadata" -> {
                    if (v == JsonToken.START_OBJECT) usage = usage(p);
                    else p.skipChildren();
                }
                case "error" -> {
                    if (v == JsonToken.START_OBJECT) error = error(p);
                    else p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
        return new Reply(id, model, candidates, block, usage, error);
    }

    private static List<Candidate> candidates(JsonParser p) throws IOException {
        List<Candidate> out = new ArrayList<>(1);
        while (p.nextToken() == JsonToken.START_OBJECT) {
            int index = out.size();
            String finish = null;
            List<Part> parts = List.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "index" -> index = p.getValueAsInt(index);
                    case "finishReason" -> finish = text(p, v);
                    case "content" -> {
                        if (v == JsonToken.START_OBJECT) parts = content(p);
                        else p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            out.add(new Candidate(index, parts, finish));
        }
        return out;
    }

    private static List<Part> content(JsonParser p) throws IOException {
        List<Part> parts = new ArrayList<>(2);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (!"parts".equals(name) || v != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Part part = part(p);
                if (part != null) parts.add(part);
            }
        }
        return parts;
    }

    /** One part; kinds the OpenAI shape has no place for (inline data, executable code) are skipped. */
    private static Part part(JsonParser p) throws IOException {
        String text = null, signature = null;
        boolean thought = false;
        FunctionCall call = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "text" -> text = text(p, v);
                case "thought" -> thought = v == JsonToken.VALUE_TRUE;
                case "thoughtSignature" -> signature = text(p, v);
                case "functionCall" -> {
                    if (v == JsonToken.START_OBJECT) call = functionCall(p);
                    else p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
        if (call != null) return new FunctionCall(call.id(), call.name(), call.argsJson(), signature);
        if (text != null) return new Text(text, thought);
        return null;
    }

    private static FunctionCall functionCall(JsonParser p) throws IOException {
        String id = null, name = null, args = "{}";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "id" -> id = text(p, v);
                case "name" -> name = text(p, v);
                case "args" -> {
                    if (v == JsonToken.START_OBJECT) args = copy(p);
                    else p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
        return new FunctionCall(id, name == null ? "" : name, args, null);
    }

    private static UsageMetadata usage(JsonParser p) throws IOException {
        long prompt = 0, cand = 0, cached = 0, thoughts = 0, tool = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "promptTokenCount" -> prompt = p.getValueAsLong();
                case "candidatesTokenCount" -> cand = p.getValueAsLong();
                case "cachedContentTokenCount" -> cached = p.getValueAsLong();
                case "thoughtsTokenCount" -> thoughts = p.getValueAsLong();
                case "toolUsePromptTokenCount" -> tool = p.getValueAsLong();
                default -> p.skipChildren();
            }
        }
        return new UsageMetadata(prompt, cand, cached, thoughts, tool);
    }

    /** Reads a whole error body ({@code {"error":{…}}}, or a JSON array holding one); null if it is not one. */
    static GoogleError errorBody(Buffer body) {
        if (body == null || body.length() == 0) return null;
        try (JsonParser p = JSON.createParser(body.getBytes())) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) t = p.nextToken(); // some Google front ends wrap the error in an array
            if (t != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("error".equals(name) && v == JsonToken.START_OBJECT) return error(p);
                p.skipChildren();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The parser is on the error object's START_OBJECT. */
    private static GoogleError error(JsonParser p) throws IOException {
        int code = 0;
        String status = null, message = null;
        Duration retry = null;
        List<String> reasons = new ArrayList<>(1);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "code" -> code = p.getValueAsInt(0);
                case "status" -> status = text(p, v);
                case "message" -> message = text(p, v);
                case "details" -> {
                    if (v != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        break;
                    }
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String d = p.currentName();
                            JsonToken dv = p.nextToken();
                            if ("retryDelay".equals(d)) retry = duration(text(p, dv));
                            else if ("reason".equals(d) && dv == JsonToken.VALUE_STRING) reasons.add(p.getText());
                            else p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new GoogleError(code, status, message, retry, reasons);
    }

    /** A protobuf Duration in JSON: {@code "34.4s"}. */
    static Duration duration(String s) {
        if (s == null || !s.endsWith("s")) return null;
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) return p.getText();
        p.skipChildren();
        return null;
    }

    private static String field(JsonParser p, JsonToken v, String wanted) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String found = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (wanted.equals(name) && t == JsonToken.VALUE_STRING) found = p.getText();
            else p.skipChildren();
        }
        return found;
    }

    private static String copy(JsonParser p) throws IOException {
        StringWriter w = new StringWriter(64);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.copyCurrentStructure(p);
        }
        return w.toString();
    }
}
