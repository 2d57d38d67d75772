package dev.switchyard.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.ApiError;
import dev.switchyard.provider.RawParams;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI chat request → a Gemini {@code GenerateContentRequest}, following {@link GeminiParams}.
 * Messages are {@link GeminiContentEncoder}'s business; this class does the generation settings, tools,
 * structured output, thinking, and finally the request's {@code raw_params}.
 */
final class GeminiRequestEncoder {
    private static final ObjectMapper M = new ObjectMapper();
    /** reasoning_effort → thinking budget in tokens, as Google's own OpenAI layer maps it */
    private static final Map<String, Integer> THINKING_BUDGET = Map.of("none", 0, "minimal", 0, "low", 1024, "medium", 8192, "high", 24576);

    private GeminiRequestEncoder() {}

    static ObjectNode encode(JsonNode req, List<String> dropped) {
        dropped.addAll(GeminiParams.CHAT.audit((ObjectNode) req));
        ObjectNode body = M.createObjectNode();
        GeminiContentEncoder.encode(req.get("messages"), body, dropped);
        tools(req, body);
        ObjectNode gen = M.createObjectNode();
        copyNumber(req, "temperature", gen, "temperature");
        copyNumber(req, "top_p", gen, "topP");
        copyNumber(req, "top_k", gen, "topK");
        copyNumber(req, "max_tokens", gen, "maxOutputTokens");
        copyNumber(req, "max_completion_tokens", gen, "maxOutputTokens");
        copyNumber(req, "n", gen, "candidateCount");
        copyNumber(req, "seed", gen, "seed");
        copyNumber(req, "presence_penalty", gen, "presencePenalty");
        copyNumber(req, "frequency_penalty", gen, "frequencyPenalty");
        stop(req.get("stop"), gen);
        responseFormat(req.get("response_format"), gen);
        thinking(req.get("reasoning_effort"), gen);
        if (!gen.isEmpty()) body.set("generationConfig", gen);
        RawParams.merge(body, RawParams.forType(req, GeminiAdapter.TYPE));
        return body;
    }

    private static void copyNumber(JsonNode req, String from, ObjectNode gen, String to) {
        JsonNode v = req.get(from);
        if (v == null || v.isNull()) return;
        if (!v.isNumber()) throw ApiError.invalidField(from, "'" + from + "' must be a number.").exception();
        gen.set(to, v);
    }

    private static void stop(JsonNode stop, ObjectNode gen) {
        if (stop == null || stop.isNull()) return;
        ArrayNode seqs = M.createArrayNode();
        if (stop.isTextual()) seqs.add(stop.asText());
        else for (JsonNode s : stop) seqs.add(s.asText());
        if (!seqs.isEmpty()) gen.set("stopSequences", seqs);
    }

    private static void responseFormat(JsonNode rf, ObjectNode gen) {
        if (rf == null || rf.isNull()) return;
        String type = rf.path("type").asText("");
        switch (type) {
            case "text" -> { }
            case "json_object" -> gen.put("responseMimeType", "application/json");
            case "json_schema" -> {
                gen.put("responseMimeType", "application/json");
                JsonNode schema = rf.path("json_schema").get("schema");
                if (schema != null && !schema.isNull()) {
                    gen.set("responseSchema", GeminiSchemaConverter.convert(schema, "response_format.json_schema.schema"));
                }
            }
            default -> throw ApiError.invalidField("response_format.type",
                    "response_format type '" + type + "' is not supported (use text, json_object or json_schema).").exception();
        }
    }

    private static void thinking(JsonNode effort, ObjectNode gen) {
        if (effort == null || effort.isNull()) return;
        Integer budget = THINKING_BUDGET.get(effort.asText());
        if (budget == null) {
            throw ApiError.invalidField("reasoning_effort", "reasoning_effort must be one of none, minimal, low, medium, high.").exception();
        }
        ObjectNode tc = gen.putObject("thinkingConfig");
        tc.put("thinkingBudget", budget);
        // thought summaries come back as reasoning_content, which is what a client asking for effort wants to see
        if (budget > 0) tc.put("includeThoughts", true);
    }

    private static void tools(JsonNode req, ObjectNode body) {
        JsonNode tools = req.get("tools");
        if (tools == null || tools.isNull() || tools.isEmpty()) return;
        ArrayNode decls = M.createArrayNode();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            String at = "tools[" + i + "]";
            if (!"function".equals(t.path("type").asText())) {
                throw ApiError.invalidField(at + ".type", "Only function tools can be sent to Gemini, not '"
                        + t.path("type").asText() + "' (native Gemini tools can be given through raw_params).").exception();
            }
            JsonNode fn = t.path("function");
            String name = fn.path("name").asText("");
            if (name.isEmpty()) throw ApiError.invalidField(at + ".function.name", "A function tool needs a name.").exception();
            ObjectNode d = decls.addObject();
            d.put("name", name);
            if (fn.hasNonNull("description")) d.put("description", fn.get("description").asText());
            JsonNode params = fn.get("parameters");
            // Gemini refuses an OBJECT with no properties; a function without parameters simply has none
            if (params != null && (params.path("properties").size() > 0 || params.has("$ref"))) {
                d.set("parameters", GeminiSchemaConverter.convert(params, at + ".function.parameters"));
            }
        }
        body.putArray("tools").addObject().set("functionDeclarations", decls);
        toolChoice(req.get("tool_choice"), body);
    }

    private static void toolChoice(JsonNode choice, ObjectNode body) {
        if (choice == null || choice.isNull()) return;
        ObjectNode fcc = M.createObjectNode();
        if (choice.isTextual()) {
            switch (choice.asText()) {
                case "auto" -> fcc.put("mode", "AUTO");
                case "none" -> fcc.put("mode", "NONE");
                case "required" -> fcc.put("mode", "ANY");
                default -> throw ApiError.invalidField("tool_choice", "tool_choice must be auto, none, required or a named function.").exception();
            }
        } else {
            String name = choice.path("function").path("name").asText("");
            if (!"function".equals(choice.path("type").asText()) || name.isEmpty()) {
                throw ApiError.invalidField("tool_choice", "tool_choice objects must be {\"type\":\"function\",\"function\":{\"name\":…}} for Gemini.").exception();
            }
            fcc.put("mode", "ANY");
            fcc.putArray("allowedFunctionNames").add(name);
        }
        body.putObject("toolConfig").set("functionCallingConfig", fcc);
    }
}
