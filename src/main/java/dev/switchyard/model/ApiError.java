package dev.switchyard.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An error in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}. Every failure the
 * gateway reports, from a bad field to the last failed upstream, is one of these — never a stack trace.
 */
public record ApiError(int status, String type, String code, String param, String message) {
    private static final JsonFactory JSON = new JsonFactory();

    public static ApiError invalidRequest(String param, String message) {
        return new ApiError(400, "invalid_request_error", "invalid_request", param, message);
    }

    public static ApiError invalidField(String param, String message) {
        return new ApiError(400, "invalid_request_error", "invalid_value", param, message);
    }

    public ApiException exception() {
        return new ApiException(this);
    }

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + message.length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeBody(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code {"error":{…}}}; also used for the in-stream error event. */
    public void writeBody(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("error");
        g.writeStringField("message", message);
        g.writeStringField("type", type);
        g.writeStringField("param", param);
        g.writeStringField("code", code);
        g.writeEndObject();
        g.writeEndObject();
    }
}
