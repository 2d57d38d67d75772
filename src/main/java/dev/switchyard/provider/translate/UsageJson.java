package dev.switchyard.provider.translate;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchyard.model.Usage;
import java.io.IOException;

/** Writes a {@link Usage} as OpenAI's {@code usage} object, the shape the OpenAI SDKs read. */
public final class UsageJson {
    private UsageJson() {}

    public static void write(JsonGenerator g, Usage u) throws IOException {
        g.writeStartObject();
        g.writeNumberField("prompt_tokens", u.inputTokens());
        g.writeNumberField("completion_tokens", u.outputTokens());
        g.writeNumberField("total_tokens", u.totalTokens());
        g.writeObjectFieldStart("prompt_tokens_details");
        g.writeNumberField("cached_tokens", u.cachedTokens());
        g.writeEndObject();
        g.writeObjectFieldStart("completion_tokens_details");
        g.writeNumberField("reasoning_tokens", u.reasoningTokens());
        g.writeEndObject();
        g.writeEndObject();
    }
}
