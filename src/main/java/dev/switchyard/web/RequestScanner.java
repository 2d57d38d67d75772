package dev.switchyard.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.model.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One streaming pass over a client's OpenAI request: validates the JSON and the types of the fields
 * the gateway knows, and records where {@code model}, {@code stream_options} and the gateway-only
 * fields sit so the body can be forwarded by splicing bytes rather than rebuilding a tree.
 */
public final class RequestScanner {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    /** The JSON kinds a known field may take. Unknown fields pass through unchecked. */
    private enum Kind { STRING, NUMBER, INTEGER, BOOLEAN, ARRAY, OBJECT, STRING_OR_ARRAY, STRING_OR_OBJECT }

    private static final Map<String, Kind> CHAT_FIELDS = Map.ofEntries(
            Map.entry("model", Kind.STRING), Map.entry("messages", Kind.ARRAY),
            Map.entry("stream", Kind.BOOLEAN), Map.entry("stream_options", Kind.OBJECT),
            Map.entry("temperature", Kind.NUMBER), Map.entry("top_p", Kind.NUMBER),
            Map.entry("presence_penalty", Kind.NUMBER), Map.entry("frequency_penalty", Kind.NUMBER),
            Map.entry("max_tokens", Kind.INTEGER), Map.entry("max_completion_tokens", Kind.INTEGER),
            Map.entry("n", Kind.INTEGER), Map.entry("seed", Kind.INTEGER), Map.entry("top_logprobs", Kind.INTEGER),
            Map.entry("logprobs", Kind.BOOLEAN), Map.entry("parallel_tool_calls", Kind.BOOLEAN),
            Map.entry("store", Kind.BOOLEAN), Map.entry("tools", Kind.ARRAY),
            Map.entry("tool_choice", Kind.STRING_OR_OBJECT), Map.entry("response_format", Kind.OBJECT),
            Map.entry("stop", Kind.STRING_OR_ARRAY), Map.entry("user", Kind.STRING),
            Map.entry("logit_bias", Kind.OBJECT), Map.entry("metadata", Kind.OBJECT),
            Map.entry("reasoning_effort", Kind.STRING), Map.entry("service_tier", Kind.STRING),
            Map.entry("models", Kind.ARRAY), Map.entry("raw_params", Kind.OBJECT));

    private static final Map<String, Kind> EMBEDDING_FIELDS = Map.of(
            "model", Kind.STRING, "input", Kind.STRING_OR_ARRAY, "encoding_format", Kind.STRING,
            "dimensions", Kind.INTEGER, "user", Kind.STRING, "models", Kind.ARRAY, "raw_params", Kind.OBJECT);

    private RequestScanner() {}

    public static InboundRequest scan(byte[] body, Operation op) {
        Map<String, Kind> fields = op == Operation.CHAT ? CHAT_FIELDS : EMBEDDING_FIELDS;
        String model = null;
        Span modelSpan = null;
        boolean stream = false;
        boolean includeUsage = false;
        Span streamOptions = null;
        List<Span> gatewayFields = new ArrayList<>(0);
        List<String> modelsOverride = List.of();
        boolean rawParams = false;
        boolean sawMessages = false;
        boolean sawInput = false;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.invalidRequest(null, "The request body must be a JSON object.").exception();
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int memberStart = (int) p.currentTokenLocation().getByteOffset();
                JsonToken v = p.nextToken();
                int valueStart = (int) p.currentTokenLocation().getByteOffset();
                Kind kind = fields.get(name);
                if (kind != null && v != JsonToken.VALUE_NULL) checkKind(name, kind, v);
                switch (name) {
                    case "model" -> {
                        model = v == JsonToken.VALUE_NULL ? null : p.getText();
                        modelSpan = new Span(valueStart, endOfValue(p));
                    }
                    case "stream" -> stream = v == JsonToken.VALUE_TRUE;
                    case "stream_options" -> {
                        if (v == JsonToken.START_OBJECT) {
                            includeUsage = scanStreamOptions(p);
                            streamOptions = new Span(valueStart, endOfValue(p));
                        } else if (v == JsonToken.VALUE_NULL) {
                            // kept so a splice replaces the null rather than adding a second stream_options
                            streamOptions = new Span(valueStart, endOfValue(p));
                        }
                    }
                    case "messages" -> {
                        sawMessages = v == JsonToken.START_ARRAY;
                        if (sawMessages && p.nextToken() == JsonToken.END_ARRAY) {
                            throw ApiError.invalidField("messages", "'messages' must contain at least one message.").exception();
                        }
                        if (sawMessages) p.skipChildren();
                        if (sawMessages) skipRestOfArray(p);
                    }
                    case "input" -> {
                        sawInput = v != JsonToken.VALUE_NULL;
                        p.skipChildren();
                    }
                    case "models" -> {
                        if (v == JsonToken.START_ARRAY) modelsOverride = readModels(p);
                        gatewayFields.add(new Span(memberStart, endOfValue(p)));
                    }
                    case "raw_params" -> {
                        // provider-native fields: never forwarded as they are, adapters merge what applies to them
                        rawParams |= v != JsonToken.VALUE_NULL;
                        p.skipChildren();
                        gatewayFields.add(new Span(memberStart, endOfValue(p)));
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw ApiError.invalidRequest(null, "The request body is not valid JSON: unexpected content after the object.").exception();
            }
        } catch (JsonParseException e) {
            String why = e.getOriginalMessage();
            int cut = why.indexOf(" (start marker");
            if (cut > 0) why = why.substring(0, cut);
            throw ApiError.invalidRequest(null, "The request body is not valid JSON: " + why
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ").").exception();
        } catch (IOException e) {
            throw ApiError.invalidRequest(null, "The request body could not be read as JSON.").exception();
        }
        if (model == null || model.isEmpty()) {
            throw ApiError.invalidField("model", "You must provide a model parameter: a model name from GET /v1/models.").exception();
        }
        if (op == Operation.CHAT && !sawMessages) {
            throw ApiError.invalidField("messages", "Missing required parameter: 'messages' (an array of chat messages).").exception();
        }
        if (op == Operation.EMBEDDINGS && !sawInput) {
            throw ApiError.invalidField("input", "Missing required parameter: 'input' (a string or an array of strings).").exception();
        }
        return InboundRequest.of(op, body, model, modelSpan, stream, includeUsage, streamOptions,
                widenToMembers(body, gatewayFields), modelsOverride, rawParams);
    }

    private static void skipRestOfArray(JsonParser p) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
    }

    private static boolean scanStreamOptions(JsonParser p) throws IOException {
        boolean include = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String n = p.currentName();
            JsonToken v = p.nextToken();
            if ("include_usage".equals(n)) {
                if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE && v != JsonToken.VALUE_NULL) {
                    throw ApiError.invalidField("stream_options.include_usage", "'stream_options.include_usage' must be a boolean.").exception();
                }
                include = v == JsonToken.VALUE_TRUE;
            }
            p.skipChildren();
        }
        return include;
    }

    private static List<String> readModels(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>(4);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw ApiError.invalidField("models", "'models' must be an array of model names.").exception();
            }
            out.add(p.getText());
        }
        return out;
    }

    /** Offset just past the current value; scalars must be fully read first (Jackson reads strings lazily). */
    private static int endOfValue(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) p.getText();
        return (int) p.currentLocation().getByteOffset();
    }

    private static void checkKind(String name, Kind kind, JsonToken v) {
        boolean ok = switch (kind) {
            case STRING -> v == JsonToken.VALUE_STRING;
            case NUMBER -> v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT;
            case INTEGER -> v == JsonToken.VALUE_NUMBER_INT;
            case BOOLEAN -> v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE;
            case ARRAY -> v == JsonToken.START_ARRAY;
            case OBJECT -> v == JsonToken.START_OBJECT;
            case STRING_OR_ARRAY -> v == JsonToken.VALUE_STRING || v == JsonToken.START_ARRAY;
            case STRING_OR_OBJECT -> v == JsonToken.VALUE_STRING || v == JsonToken.START_OBJECT;
        };
        if (!ok) {
            String want = switch (kind) {
                case STRING -> "a string";
                case NUMBER -> "a number";
                case INTEGER -> "an integer";
                case BOOLEAN -> "a boolean";
                case ARRAY -> "an array";
                case OBJECT -> "an object";
                case STRING_OR_ARRAY -> "a string or an array";
                case STRING_OR_OBJECT -> "a string or an object";
            };
            throw ApiError.invalidField(name, "Invalid type for '" + name + "': expected " + want + ".").exception();
        }
    }

    /**
     * Turns member spans (name through value, in body order) into cuts that leave valid JSON. Members that stand
     * next to each other ({@code "models":[…],"raw_params":{…}}) are first joined into one run, so that no two cuts
     * can claim the same comma; then each run takes one neighbouring comma: the following one if there is one,
     * else the preceding one (a run at the end of the object), else none (the run is the whole object).
     */
    static List<Span> widenToMembers(byte[] body, List<Span> members) {
        if (members.isEmpty()) return members;
        List<Span> runs = new ArrayList<>(members.size());
        Span run = members.get(0);
        for (int i = 1; i < members.size(); i++) {
            Span m = members.get(i);
            if (onlyOneCommaBetween(body, run.end(), m.start())) {
                run = new Span(run.start(), m.end());
            } else {
                runs.add(run);
                run = m;
            }
        }
        runs.add(run);
        List<Span> out = new ArrayList<>(runs.size());
        for (Span s : runs) {
            int after = s.end();
            while (after < body.length && isSpace(body[after])) after++;
            if (after < body.length && body[after] == ',') {
                after++;
                while (after < body.length && isSpace(body[after])) after++;
                out.add(new Span(s.start(), after));
                continue;
            }
            int before = s.start() - 1;
            while (before >= 0 && isSpace(body[before])) before--;
            if (before >= 0 && body[before] == ',') out.add(new Span(before, s.end()));
            else out.add(s);
        }
        return out;
    }

    private static boolean onlyOneCommaBetween(byte[] body, int from, int to) {
        int commas = 0;
        for (int i = from; i < to; i++) {
            if (body[i] == ',') commas++;
            else if (!isSpace(body[i])) return false;
        }
        return commas == 1;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
