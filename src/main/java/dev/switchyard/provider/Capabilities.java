package dev.switchyard.provider;

/**
 * What an adapter can do, as data.
 *
 * @param passThrough the wire format is OpenAI chat: bodies are spliced, not translated
 * @param embeddings  serves {@code /v1/embeddings}
 * @param streamUsage the upstream can report usage on streams when asked
 * @param simulated   answers are synthetic (demo/load-test provider)
 */
public record Capabilities(boolean passThrough, boolean embeddings, boolean streamUsage, boolean simulated) {}
