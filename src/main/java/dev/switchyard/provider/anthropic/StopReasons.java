package dev.switchyard.provider.anthropic;

/** Anthropic {@code stop_reason} → OpenAI {@code finish_reason}. */
final class StopReasons {
    private StopReasons() {}

    /**
     * @param structuredAnswer the turn ended with the structured-output tool (and no client tool call), so
     *                         for the client it is a complete answer, not a tool call
     */
    static String finishReason(String stopReason, boolean structuredAnswer) {
        if (stopReason == null) return "stop";
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> structuredAnswer ? "stop" : "tool_calls";
            case "refusal" -> "content_filter";
            // end_turn, stop_sequence, pause_turn (the client may continue the turn) and anything newer
            default -> "stop";
        };
    }
}
