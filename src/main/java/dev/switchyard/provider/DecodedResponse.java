package dev.switchyard.provider;

import dev.switchyard.model.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * A complete non-streaming answer in OpenAI's shape.
 *
 * @param body         OpenAI JSON bytes for the client
 * @param usage        token counts, or null when the upstream reported none
 * @param finishReason first choice's finish reason, or null
 */
public record DecodedResponse(Buffer body, Usage usage, String finishReason) {}
