package dev.switchyard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.provider.RawParams;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An OpenAI chat request (the client's JSON tree) → a Messages API body. Every top-level parameter goes through
 * {@link AnthropicParams#TABLE} first, so each one is translated, forwarded, named as dropped, or rejected.
 */
final class AnthropicRequestEncoder {
    static final int FALLBACK_MAX_TOKENS = 4096;
    /** A raw_params member that becomes {@code anthropic-beta} flags rather than a body field (the SDK's {@code betas}). */
    static final String RAW_BETAS = "betas";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /**
     * @param dropped parameters the provider cannot honour, for {@code x-switchyard-dropped-params}
     * @param betas   {@code anthropic-beta} flags this request needs
     */
    record Encoded(ObjectNode body, Set<String> dropped, Set<String> betas) {}

    private final ModelLimits limits;

    AnthropicRequestEncoder(ModelLimits limits) {
        this.limits = limits;
    }

    Encoded encode(InboundRequest req, AnthropicOptions options, String model) {
        ObjectNode in = (ObjectNode) req.tree();
        Set<String> dropped = new LinkedHashSet<>(AnthropicParams.TABLE.audit(in));
        Set<String> betas = new LinkedHashSet<>(options.betas());
        ObjectNode out = F.objectNode();
        out.put("model", model);

        MessageEncoder.Result messages = MessageEncoder.encode(in.get("messages"), dropped);
        if (messages.system() != null) out.set("system", messages.system());
        out.set("messages", messages.messages());

        boolean forcedTool = ToolEncoder.encode(in, out, StructuredOutput.of(in));
        int budget = in.hasNonNull("reasoning_effort") ? ThinkingBudget.forEffort(in.get("reasoning_effort").asText()) : 0;
        if (budget > 0 && forcedTool) {
            // Anthropic refuses thinking with a forced tool call; the tool (often the structured output) wins.
            dropped.add("reasoning_effort");
            budget = 0;
        }
        Integer clientLimit = clientLimit(in);
        int maxTokens;
        if (clientLimit != null) {
            maxTokens = clientLimit;
            if (budget > 0) {
                budget = ThinkingBudget.fit(budget, clientLimit);
                if (budget == 0) dropped.add("reasoning_effort");
            }
        } else {
            maxTokens = defaultMaxTokens(options, model) + budget;
        }
        out.put("max_tokens", maxTokens);
        if (budget > 0) out.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);

        sampling(in, out, budget > 0, dropped);
        JsonNode stop = in.get("stop");
        if (stop != null && stop.isTextual()) {
            out.putArray("stop_sequences").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            ArrayNode seqs = out.putArray("stop_sequences");
            for (JsonNode s : stop) seqs.add(s.asText());
        }
        String user = in.hasNonNull("user") ? in.get("user").asText() : in.hasNonNull("safety_identifier") ? in.get("safety_identifier").asText() : null;
        if (user != null && !user.isEmpty()) out.putObject("metadata").put("user_id", user);
        if (req.stream()) out.put("stream", true);

        ObjectNode raw = RawParams.forType(in, AnthropicAdapter.TYPE);
        if (raw != null) {
            raw = raw.deepCopy();
            JsonNode rawBetas = raw.remove(RAW_BETAS);
            if (rawBetas != null && rawBetas.isTextual()) betas.add(rawBetas.asText());
            else if (rawBetas != null && rawBetas.isArray()) rawBetas.forEach(b -> betas.add(b.asText()));
            RawParams.merge(out, raw);
        }
        return new Encoded(out, dropped, betas);
    }

    private static Integer clientLimit(ObjectNode in) {
        for (String f : List.of("max_completion_tokens", "max_tokens")) {
            JsonNode v = in.get(f);
            if (v != null && v.isIntegralNumber()) {
                if (v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE) {
                    throw ApiError.invalidField(f, "'" + f + "' must be a positive integer.").exception();
                }
                return v.asInt();
            }
        }
        return null;
    }

    /** The model's max output from the catalog, else the provider's configured default, else 4096. */
    private int defaultMaxTokens(AnthropicOptions options, String model) {
        OptionalInt fromCatalog = limits.maxOutputTokens(model);
        if (fromCatalog.isPresent()) return fromCatalog.getAsInt();
        return options.defaultMaxTokens().orElse(FALLBACK_MAX_TOKENS);
    }

    /**
     * temperature (OpenAI 0..2, Anthropic 0..1: clamped) and top_p. Extended thinking accepts neither a changed
     * temperature nor top_p below 0.95, so with thinking on those are dropped and named.
     */
    private static void sampling(ObjectNode in, ObjectNode out, boolean thinking, Set<String> dropped) {
        JsonNode t = in.get("temperature");
        if (t != null && t.isNumber()) {
            if (thinking) {
                if (t.asDouble() != 1.0) dropped.add("temperature");
            } else {
                out.set("temperature", t.asDouble() > 1.0 ? DoubleNode.valueOf(1.0) : t);
            }
        }
        JsonNode p = in.get("top_p");
        if (p != null && p.isNumber()) {
            if (thinking && p.asDouble() < 0.95) dropped.add("top_p");
            else out.set("top_p", p);
        }
    }
}
