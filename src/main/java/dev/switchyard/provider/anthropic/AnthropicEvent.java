package dev.switchyard.provider.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * The facts of one Anthropic stream event, read with Jackson's streaming parser (no tree): only the fields a
 * translator acts on. One instance per stream, refilled for every event.
 */
final class AnthropicEvent {
    private static final JsonFactory JSON = new JsonFactory();

    String type;
    int index;
    /** {@code delta.type}: text_delta, input_json_delta, thinking_delta, signature_delta… */
    String deltaType;
    /** the delta's payload: text, partial_json or thinking, whichever its type carries */
    String deltaText;
    /** {@code message_delta.delta.stop_reason} */
    String stopReason;
    /** {@code content_block.type} / id / name / initial text or thinking */
    String blockType;
    String blockId;
    String blockName;
    String blockText;
    String messageId;
    String messageModel;
    /** usage counters, -1 when the event did not carry them */
    long inputTokens;
    long outputTokens;
    long cacheRead;
    long cacheCreation;
    String errorType;
    String errorMessage;

    /** Reads {@code data}; returns false when it is not a JSON object (the caller treats that as a broken stream). */
    boolean read(Buffer data) {
        type = deltaType = deltaText = stopReason = blockType = blockId = blockName = blockText = null;
        messageId = messageModel = errorType = errorMessage = null;
        index = -1;
        inputTokens = outputTokens = cacheRead = cacheCreation = -1;
        try (JsonParser p = JSON.createParser(data.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "type" -> type = p.getValueAsString();
                    case "index" -> index = p.getValueAsInt(-1);
                    case "delta" -> {
                        if (v == JsonToken.START_OBJECT) delta(p);
                        else p.skipChildren();
                    }
                    case "content_block" -> {
                        if (v == JsonToken.START_OBJECT) block(p);
                        else p.skipChildren();
                    }
                    case "message" -> {
                        if (v == JsonToken.START_OBJECT) message(p);
                        else p.skipChildren();
                    }
                    case "usage" -> {
                        if (v == JsonToken.START_OBJECT) usage(p);
                        else p.skipChildren();
                    }
                    case "error" -> {
                        if (v == JsonToken.START_OBJECT) error(p);
                        else p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void delta(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "type" -> deltaType = p.getValueAsString();
                case "text", "partial_json", "thinking" -> deltaText = v == JsonToken.VALUE_STRING ? p.getText() : null;
                case "stop_reason" -> stopReason = v == JsonToken.VALUE_STRING ? p.getText() : null;
                default -> p.skipChildren();
            }
        }
    }

    private void block(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "type" -> blockType = p.getValueAsString();
                case "id" -> blockId = p.getValueAsString();
                case "name" -> blockName = p.getValueAsString();
                case "text", "thinking" -> blockText = v == JsonToken.VALUE_STRING ? p.getText() : null;
                default -> p.skipChildren();
            }
        }
    }

    private void message(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "id" -> messageId = p.getValueAsString();
                case "model" -> messageModel = p.getValueAsString();
                case "usage" -> {
                    if (v == JsonToken.START_OBJECT) usage(p);
                    else p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
    }

    private void usage(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            long n = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
            switch (name) {
                case "input_tokens" -> inputTokens = n;
                case "output_tokens" -> outputTokens = n;
                case "cache_read_input_tokens" -> cacheRead = n;
                case "cache_creation_input_tokens" -> cacheCreation = n;
                default -> p.skipChildren();
            }
        }
    }

    private void error(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "type" -> errorType = p.getValueAsString();
                case "message" -> errorMessage = v == JsonToken.VALUE_STRING ? p.getText() : null;
                default -> p.skipChildren();
            }
        }
    }
}
