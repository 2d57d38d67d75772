package dev.switchyard.provider.anthropic;

import static dev.switchyard.provider.anthropic.MessageEncoder.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * OpenAI content parts → Anthropic content blocks: text, images ({@code data:} URLs → base64 sources, http(s)
 * URLs → url sources) and files (PDF and plain text → document blocks). Prompt-cache breakpoints survive:
 * an OpenAI {@code prompt_cache_breakpoint} or an Anthropic-style {@code cache_control} on a part becomes the
 * block's {@code cache_control}.
 */
final class ContentEncoder {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private ContentEncoder() {}

    static ObjectNode text(String text) {
        ObjectNode b = F.objectNode();
        b.put("type", "text");
        b.put("text", text);
        return b;
    }

    /** A text part as a block, or null when its text is empty (Anthropic rejects empty text blocks). */
    static ObjectNode textPart(JsonNode part, String at) {
        JsonNode t = part.get("text");
        if (t == null || !t.isTextual()) throw invalid(at + ".text", "a text part needs a string 'text'");
        if (t.asText().isEmpty()) return null;
        return withCache(text(t.asText()), part);
    }

    /** User (or tool-result) content: a string or an array of parts. */
    static List<ObjectNode> parts(JsonNode content, String at, Set<String> dropped) {
        List<ObjectNode> out = new ArrayList<>(2);
        if (content == null || content.isNull()) return out;
        if (content.isTextual()) {
            if (!content.asText().isEmpty()) out.add(text(content.asText()));
            return out;
        }
        if (!content.isArray()) throw invalid(at, "content must be a string or an array of content parts");
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String pat = at + "[" + j + "]";
            String type = part.path("type").asText("");
            ObjectNode block = switch (type) {
                case "text" -> textPart(part, pat);
                case "image_url" -> image(part, pat, dropped);
                case "file" -> document(part, pat);
                case "input_audio" -> throw invalid(pat + ".type", "Anthropic does not accept audio input");
                default -> throw invalid(pat + ".type", "unknown content part type '" + type + "'");
            };
            if (block != null) out.add(type.equals("text") ? block : withCache(block, part)); // text parts carry theirs already
        }
        return out;
    }

    private static ObjectNode image(JsonNode part, String at, Set<String> dropped) {
        JsonNode iu = part.get("image_url");
        String url = iu == null ? null : iu.isTextual() ? iu.asText() : iu.path("url").asText(null);
        if (url == null || url.isEmpty()) throw invalid(at + ".image_url.url", "an image part needs a url");
        if (iu.isObject() && iu.hasNonNull("detail") && !"auto".equals(iu.get("detail").asText())) {
            dropped.add("messages[].content[].image_url.detail"); // Anthropic picks the resolution itself
        }
        ObjectNode source = F.objectNode();
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            DataUrl d = DataUrl.parse(url, at + ".image_url.url");
            String media = d.mediaType().equals("image/jpg") ? "image/jpeg" : d.mediaType();
            if (!IMAGE_TYPES.contains(media)) {
                throw invalid(at + ".image_url.url", "image type '" + media + "' is not supported (use jpeg, png, gif or webp)");
            }
            source.put("type", "base64");
            source.put("media_type", media);
            source.put("data", d.data());
        } else if (url.regionMatches(true, 0, "https://", 0, 8) || url.regionMatches(true, 0, "http://", 0, 7)) {
            source.put("type", "url");
            source.put("url", url);
        } else {
            throw invalid(at + ".image_url.url", "expected a data: URL or an http(s) URL");
        }
        ObjectNode b = F.objectNode();
        b.put("type", "image");
        b.set("source", source);
        return b;
    }

    private static ObjectNode document(JsonNode part, String at) {
        JsonNode file = part.path("file");
        if (file.hasNonNull("file_id") && !file.hasNonNull("file_data")) {
            throw invalid(at + ".file.file_id", "file ids point into OpenAI's file storage; send the file inline as file_data");
        }
        String data = file.path("file_data").asText("");
        if (data.isEmpty()) throw invalid(at + ".file.file_data", "a file part needs file_data");
        DataUrl d = DataUrl.parse(data, at + ".file.file_data");
        ObjectNode source = F.objectNode();
        switch (d.mediaType()) {
            case "application/pdf" -> {
                source.put("type", "base64");
                source.put("media_type", "application/pdf");
                source.put("data", d.data());
            }
            case "text/plain" -> {
                source.put("type", "text");
                source.put("media_type", "text/plain");
                try {
                    source.put("data", new String(Base64.getDecoder().decode(d.data()), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw invalid(at + ".file.file_data", "the base64 data does not decode");
                }
            }
            default -> throw invalid(at + ".file.file_data", "file type '" + d.mediaType() + "' is not supported (use PDF or plain text)");
        }
        ObjectNode b = F.objectNode();
        b.put("type", "document");
        b.set("source", source);
        if (file.hasNonNull("filename")) b.put("title", file.get("filename").asText());
        return b;
    }

    private static ObjectNode withCache(ObjectNode block, JsonNode part) {
        JsonNode cc = part.get("cache_control");
        if (cc != null && cc.isObject()) {
            block.set("cache_control", cc.deepCopy());
        } else if (part.path("prompt_cache_breakpoint").isObject()) {
            block.putObject("cache_control").put("type", "ephemeral");
        }
        return block;
    }

    /** {@code data:<media-type>[;param…];base64,<data>} */
    record DataUrl(String mediaType, String data) {
        static DataUrl parse(String url, String at) {
            int comma = url.indexOf(',');
            if (comma < 0) throw invalid(at, "malformed data: URL");
            String header = url.substring(5, comma).toLowerCase(Locale.ROOT);
            if (!header.endsWith(";base64")) throw invalid(at, "data: URLs must be base64-encoded");
            int semi = header.indexOf(';');
            return new DataUrl(header.substring(0, semi).trim(), url.substring(comma + 1));
        }
    }
}
