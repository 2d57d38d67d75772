package dev.switchyard.provider.gemini;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.provider.DecodedResponse;
import dev.switchyard.provider.RawParams;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI {@code /v1/embeddings} over Gemini: one string goes to {@code :embedContent}, an array to
 * {@code :batchEmbedContents}; the answer becomes an OpenAI embeddings list. Gemini takes text only,
 * so token-id inputs are refused. {@code encoding_format: base64} is honoured by re-encoding the
 * floats as OpenAI does (little-endian float32). Gemini reports no token counts for embeddings, so
 * usage is zero.
 */
final class GeminiEmbeddings {
    private static final ObjectMapper M = new ObjectMapper();

    /** @param method {@code embedContent} or {@code batchEmbedContents} */
    record Encoded(String method, ObjectNode body) {}

    private GeminiEmbeddings() {}

    static Encoded encode(JsonNode req, String modelPath, List<String> dropped) {
        dropped.addAll(GeminiParams.EMBEDDINGS.audit((ObjectNode) req));
        String format = req.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiError.invalidField("encoding_format", "encoding_format must be 'float' or 'base64'.").exception();
        }
        ObjectNode raw = RawParams.forType(req, GeminiAdapter.TYPE);
        JsonNode input = req.get("input");
        if (input.isTextual()) {
            ObjectNode body = single(input.asText(), modelPath, req.get("dimensions"));
            RawParams.merge(body, raw);
            return new Encoded("embedContent", body);
        }
        ObjectNode body = M.createObjectNode();
        var requests = body.putArray("requests");
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            if (!item.isTextual()) {
                throw ApiError.invalidField("input[" + i + "]", "Gemini embeds text only; token-id inputs cannot be sent to it.").exception();
            }
            ObjectNode r = single(item.asText(), modelPath, req.get("dimensions"));
            RawParams.merge(r, raw); // taskType, title, … are per-request fields in a batch
            requests.add(r);
        }
        if (requests.isEmpty()) throw ApiError.invalidField("input", "'input' must not be empty.").exception();
        return new Encoded("batchEmbedContents", body);
    }

    private static ObjectNode single(String text, String modelPath, JsonNode dims) {
        ObjectNode r = M.createObjectNode();
        r.put("model", modelPath);
        r.putObject("content").putArray("parts").addObject().put("text", text);
        if (dims != null && dims.isNumber()) r.put("outputDimensionality", dims.asInt());
        return r;
    }

    static DecodedResponse decode(Buffer body, InboundRequest request) {
        boolean base64 = "base64".equals(request.tree().path("encoding_format").asText());
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length());
        try (JsonParser p = GeminiWire.JSON.createParser(body.getBytes());
                JsonGenerator g = GeminiWire.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
            int index = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("embedding".equals(name) && v == JsonToken.START_OBJECT) {
                    embedding(p, g, index++, base64);
                } else if ("embeddings".equals(name) && v == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) embedding(p, g, index++, base64);
                } else {
                    p.skipChildren();
                }
            }
            if (index == 0) throw new IOException("no embeddings in Gemini's answer");
            g.writeEndArray();
            g.writeStringField("model", request.model());
            g.writeObjectFieldStart("usage");
            g.writeNumberField("prompt_tokens", 0);
            g.writeNumberField("total_tokens", 0);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Gemini embeddings answer could not be read", e);
        }
        return new DecodedResponse(Buffer.buffer(out.toByteArray()), null, null);
    }

    /** One {@code ContentEmbedding {values: [...]}}; the parser is on its START_OBJECT. */
    private static void embedding(JsonParser p, JsonGenerator g, int index, boolean base64) throws IOException {
        g.writeStartObject();
        g.writeStringField("object", "embedding");
        g.writeNumberField("index", index);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (!"values".equals(name) || v != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (!bytes.hasRemaining()) bytes = ByteBuffer.allocate(bytes.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN).put(bytes.flip());
                    bytes.putFloat(p.getFloatValue());
                }
                byte[] raw = new byte[bytes.position()];
                bytes.flip().get(raw);
                g.writeStringField("embedding", Base64.getEncoder().encodeToString(raw));
            } else {
                g.writeArrayFieldStart("embedding");
                while (p.nextToken() != JsonToken.END_ARRAY) g.copyCurrentEvent(p);
                g.writeEndArray();
            }
        }
        g.writeEndObject();
    }
}
