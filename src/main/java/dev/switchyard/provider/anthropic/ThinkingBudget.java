package dev.switchyard.provider.anthropic;

import dev.switchyard.model.ApiError;
import java.util.Map;

/**
 * OpenAI {@code reasoning_effort} → Anthropic extended thinking ({@code thinking: {type: enabled, budget_tokens}}).
 * Anthropic counts thinking inside {@code max_tokens}, as OpenAI counts reasoning inside
 * {@code max_completion_tokens}, so:
 * <ul>
 *   <li>when the client set a token limit, it stays the limit and the budget fits inside it (at most half of
 *       it, at least Anthropic's minimum of 1024; a limit too small for that turns thinking off, and
 *       {@code reasoning_effort} is reported as dropped);</li>
 *   <li>when it did not, {@code max_tokens} is the default answer allowance plus the budget, so thinking does
 *       not eat the answer.</li>
 * </ul>
 */
final class ThinkingBudget {
    static final int MIN_BUDGET = 1024;
    /** Budgets per effort level; {@code none} means no thinking. Documented in docs/providers-anthropic.md. */
    static final Map<String, Integer> BUDGETS = Map.of(
            "none", 0, "minimal", 1024, "low", 2048, "medium", 8192, "high", 16384, "xhigh", 32768);

    private ThinkingBudget() {}

    /** The budget for an effort level: 0 for {@code none}; a 400 for a level OpenAI does not define. */
    static int forEffort(String effort) {
        Integer b = BUDGETS.get(effort);
        if (b == null) {
            throw ApiError.invalidField("reasoning_effort", "Unknown reasoning_effort '" + effort
                    + "' (expected none, minimal, low, medium, high or xhigh).").exception();
        }
        return b;
    }

    /**
     * The budget that fits a client's own token limit, or 0 when none does.
     *
     * @param clientLimit the client's max_completion_tokens / max_tokens
     */
    static int fit(int budget, int clientLimit) {
        int b = Math.min(budget, Math.max(MIN_BUDGET, clientLimit / 2));
        return b < clientLimit ? b : 0;
    }
}
