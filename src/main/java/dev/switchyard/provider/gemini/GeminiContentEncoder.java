package dev.switchyard.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.ApiError;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI {@code messages} → Gemini {@code contents} and {@code systemInstruction}.
 * <ul>
 *   <li>system/developer messages become {@code systemInstruction} text parts, in order (Gemini has one
 *       system slot, so a late system message joins it);</li>
 *   <li>assistant turns use role {@code model}; their {@code tool_calls} become {@code functionCall}
 *       parts (the {@code thoughtSignature} Gemini needs back rides on the tool call as
 *       {@code extra_content.google.thought_signature}, as Google's own OpenAI layer does);</li>
 *   <li>tool results become {@code functionResponse} parts in a user turn. Gemini has no call ids, so
 *       the function name is found through the assistant tool call with the same id;</li>
 *   <li>consecutive turns of one role are merged, which also groups parallel tool results.</li>
 * </ul>
 */
final class GeminiContentEncoder {
    private static final ObjectMapper M = new ObjectMapper();
    private static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg",
            "webp", "image/webp", "gif", "image/gif", "heic", "image/heic", "heif", "image/heif");

    private final ArrayNode contents = M.createArrayNode();
    private ArrayNode systemParts;
    /** tool-call id → function name, from the assistant turns seen so far */
    private final Map<String, String> callNames = new HashMap<>();
    private final List<String> dropped;
    private boolean droppedName;
    private boolean droppedDetail;

    private GeminiContentEncoder(List<String> dropped) {
        this.dropped = dropped;
    }

    /** Writes {@code contents} and {@code systemInstruction} into {@code body}. */
    static void encode(JsonNode messages, ObjectNode body, List<String> dropped) {
        GeminiContentEncoder e = new GeminiContentEncoder(dropped);
        for (int i = 0; i < messages.size(); i++) e.message(messages.get(i), "messages[" + i + "]");
        if (e.droppedName) dropped.add("messages[].name");
        if (e.droppedDetail) dropped.add("messages[].content[].image_url.detail");
        if (e.systemParts != null) body.putObject("systemInstruction").set("parts", e.systemParts);
        body.set("contents", e.contents);
    }

    private void message(JsonNode m, String at) {
        if (!m.isObject()) throw ApiError.invalidField(at, "Each message must be an object.").exception();
        String role = m.path("role").asText("");
        if (m.hasNonNull("name")) droppedName = true;
        switch (role) {
            case "system", "developer" -> {
                if (systemParts == null) systemParts = M.createArrayNode();
                textOnly(m.get("content"), at + ".content", systemParts);
            }
            case "user" -> append("user", userParts(m.get("content"), at + ".content"));
            case "assistant" -> append("model", assistantParts(m, at));
            case "tool" -> append("user", M.createArrayNode().add(toolResult(m, at)));
            default -> throw ApiError.invalidField(at + ".role", "Message role '" + role + "' cannot be sent to Gemini "
                    + "(use system, developer, user, assistant or tool).").exception();
        }
    }

    /** Adds a turn, merging it into the previous one when the role repeats. */
    private void append(String role, ArrayNode parts) {
        if (parts.isEmpty()) return; // Gemini refuses empty turns; an empty assistant turn says nothing
        int last = contents.size() - 1;
        if (last >= 0 && role.equals(contents.get(last).path("role").asText())) {
            ((ArrayNode) contents.get(last).get("parts")).addAll(parts);
            return;
        }
        ObjectNode c = contents.addObject();
        c.put("role", role);
        c.set("parts", parts);
    }

    private static void textOnly(JsonNode content, String at, ArrayNode out) {
        if (content == null || content.isNull()) return;
        if (content.isTextual()) {
            if (!content.asText().isEmpty()) out.addObject().put("text", content.asText());
            return;
        }
        if (!content.isArray()) throw ApiError.invalidField(at, "Message content must be a string or an array of parts.").exception();
        for (int i = 0; i < content.size(); i++) {
            JsonNode p = content.get(i);
            String type = p.path("type").asText();
            if (type.equals("text") || type.equals("refusal")) {
                String t = p.path(type).asText("");
                if (!t.isEmpty()) out.addObject().put("text", t);
            } else {
                throw ApiError.invalidField(at + "[" + i + "].type", "Only text parts are allowed here, not '" + type + "'.").exception();
            }
        }
    }

    private ArrayNode userParts(JsonNode content, String at) {
        ArrayNode parts = M.createArrayNode();
        if (content == null || content.isNull() || content.isTextual()) {
            textOnly(content, at, parts);
            return parts;
        }
        if (!content.isArray()) throw ApiError.invalidField(at, "Message content must be a string or an array of parts.").exception();
        for (int i = 0; i < content.size(); i++) {
            JsonNode p = content.get(i);
            String pat = at + "[" + i + "]";
            String type = p.path("type").asText();
            switch (type) {
                case "text" -> {
                    String t = p.path("text").asText("");
                    if (!t.isEmpty()) parts.addObject().put("text", t);
                }
                case "image_url" -> parts.add(image(p.path("image_url"), pat + ".image_url"));
                case "input_audio" -> {
                    String format = p.path("input_audio").path("format").asText("");
                    if (format.isEmpty()) throw ApiError.invalidField(pat + ".input_audio.format", "Audio parts need a 'format'.").exception();
                    inline(parts, "audio/" + format, p.path("input_audio").path("data").asText());
                }
                case "file" -> {
                    String data = p.path("file").path("file_data").asText("");
                    if (!data.startsWith("data:")) {
                        throw ApiError.invalidField(pat + ".file", "Gemini targets take files as 'file_data' data URLs; "
                                + "uploaded file ids cannot be passed on.").exception();
                    }
                    parts.add(dataUrl(data, pat + ".file.file_data"));
                }
                default -> throw ApiError.invalidField(pat + ".type", "Content part type '" + type + "' cannot be sent to Gemini.").exception();
            }
        }
        return parts;
    }

    private ObjectNode image(JsonNode imageUrl, String at) {
        String url = imageUrl.isTextual() ? imageUrl.asText() : imageUrl.path("url").asText("");
        String detail = imageUrl.path("detail").asText("auto");
        if (!detail.equals("auto")) droppedDetail = true;
        if (url.startsWith("data:")) return dataUrl(url, at + ".url");
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("http://") && !lower.startsWith("gs://")) {
            throw ApiError.invalidField(at + ".url", "Image URLs must be data: URLs or http(s) URLs.").exception();
        }
        String path = lower.replaceFirst("[?#].*$", "");
        String ext = path.substring(path.lastIndexOf('.') + 1);
        String mime = IMAGE_TYPES.get(ext);
        if (mime == null) {
            throw ApiError.invalidField(at + ".url", "Gemini needs an image's media type, and it cannot be told from the URL '"
                    + url + "'; send the image as a data: URL or use a URL ending in .png, .jpg, .jpeg, .webp, .gif, .heic or .heif.").exception();
        }
        ObjectNode part = M.createObjectNode();
        part.putObject("fileData").put("mimeType", mime).put("fileUri", url);
        return part;
    }

    /** {@code data:<mime>;base64,<data>} → an {@code inlineData} part. */
    private static ObjectNode dataUrl(String url, String at) {
        int comma = url.indexOf(',');
        String meta = comma < 0 ? "" : url.substring(5, comma);
        if (comma < 0 || !meta.endsWith(";base64") || meta.length() == ";base64".length()) {
            throw ApiError.invalidField(at, "Data URLs must look like 'data:<media type>;base64,<data>'.").exception();
        }
        ObjectNode part = M.createObjectNode();
        part.putObject("inlineData").put("mimeType", meta.substring(0, meta.length() - ";base64".length()))
                .put("data", url.substring(comma + 1));
        return part;
    }

    private static void inline(ArrayNode parts, String mime, String data) {
        parts.addObject().putObject("inlineData").put("mimeType", mime).put("data", data);
    }

    private ArrayNode assistantParts(JsonNode m, String at) {
        ArrayNode parts = M.createArrayNode();
        textOnly(m.get("content"), at + ".content", parts);
        // reasoning_content is not sent back: Gemini re-derives its thinking, and thought text is not replayable
        JsonNode calls = m.get("tool_calls");
        if (calls == null || calls.isNull()) return parts;
        if (!calls.isArray()) throw ApiError.invalidField(at + ".tool_calls", "'tool_calls' must be an array.").exception();
        for (int i = 0; i < calls.size(); i++) {
            JsonNode c = calls.get(i);
            String cat = at + ".tool_calls[" + i + "]";
            String name = c.path("function").path("name").asText("");
            if (name.isEmpty()) throw ApiError.invalidField(cat + ".function.name", "A tool call needs a function name.").exception();
            if (c.hasNonNull("id")) callNames.put(c.get("id").asText(), name);
            ObjectNode part = parts.addObject();
            ObjectNode call = part.putObject("functionCall");
            call.put("name", name);
            call.set("args", arguments(c.path("function").path("arguments"), cat + ".function.arguments"));
            JsonNode sig = c.path("extra_content").path("google").path("thought_signature");
            if (sig.isTextual()) part.put("thoughtSignature", sig.asText());
        }
        return parts;
    }

    private static JsonNode arguments(JsonNode args, String at) {
        if (args.isMissingNode() || args.isNull() || (args.isTextual() && args.asText().isBlank())) return M.createObjectNode();
        if (args.isObject()) return args;
        try {
            JsonNode parsed = M.readTree(args.asText());
            if (parsed != null && parsed.isObject()) return parsed;
        } catch (IOException notJson) {
            // fall through to the error below
        }
        throw ApiError.invalidField(at, "Gemini needs tool-call arguments to be a JSON object.").exception();
    }

    private ObjectNode toolResult(JsonNode m, String at) {
        String id = m.path("tool_call_id").asText("");
        String name = callNames.get(id);
        if (name == null) {
            throw ApiError.invalidField(at + ".tool_call_id", "No earlier assistant tool call has the id '" + id
                    + "'; Gemini needs it to know which function this result belongs to.").exception();
        }
        ObjectNode part = M.createObjectNode();
        ObjectNode fr = part.putObject("functionResponse");
        fr.put("name", name);
        fr.set("response", response(m.get("content"), at + ".content"));
        return part;
    }

    /**
     * Gemini wants an object: a JSON-object result is passed as is, anything else is wrapped as
     * {@code {"result": "<text>"}}.
     */
    private static ObjectNode response(JsonNode content, String at) {
        ArrayNode texts = M.createArrayNode();
        textOnly(content, at, texts);
        StringBuilder b = new StringBuilder();
        for (JsonNode t : texts) b.append(t.get("text").asText());
        String text = b.toString();
        if (text.startsWith("{")) {
            try {
                JsonNode parsed = M.readTree(text);
                if (parsed instanceof ObjectNode o) return o;
            } catch (IOException notJson) {
                // plain text that happens to start with a brace
            }
        }
        ObjectNode o = M.createObjectNode();
        o.put("result", text);
        return o;
    }
}
