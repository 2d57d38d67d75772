package dev.switchyard.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.accounting.Budgets;
import dev.switchyard.auth.Budget;
import dev.switchyard.auth.ClientIdentity;
import dev.switchyard.auth.RateLimits;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.routing.RoutePlan;
import dev.switchyard.routing.Target;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Whether a key may send this request now: its budget (a reservation of the estimated cost) and its rate limits
 * (requests and estimated tokens). What is taken here is given back or corrected when the request ends.
 */
final class Admission {
    /** Output tokens assumed for a chat request that sets no {@code max_tokens}/{@code max_completion_tokens}. */
    static final long DEFAULT_OUTPUT_ESTIMATE = 1024;

    private final RateLimits limits;
    private final Budgets budgets;

    /** @param budgets null when budgets are not enforced (no accounting wired) */
    Admission(RateLimits limits, Budgets budgets) {
        this.limits = limits;
        this.budgets = budgets;
    }

    /** What an admitted request holds. */
    interface Ticket {
        /** Told of the request's outcome (after accounting has recorded it), or null when nothing is held. */
        Consumer<ExchangeOutcome> onDone();

        /** Gives everything back: the request never ran. */
        void cancel();
    }

    /**
     * @throws dev.switchyard.model.ApiException 429 {@code insufficient_quota} over budget, 429
     *         {@code rate_limit_exceeded} over a rate limit (with {@code Retry-After})
     */
    Ticket admit(ClientIdentity who, InboundRequest in, RoutePlan plan, int bodyBytes, HttpServerResponse resp) {
        long tokens = Math.max(1, bodyBytes / 4);
        Budgets.Reservation reservation = Budgets.Reservation.NONE;
        if (budgets != null && who.budget() != null && who.budget().isSet()) {
            List<String> targets = new ArrayList<>(plan.targets().size());
            for (Target t : plan.targets()) targets.add(t.id());
            Budgets.Admission b = budgets.admit(who, budgets.estimateNanos(targets, tokens, outputEstimate(in)));
            if (!b.allowed()) {
                resp.headers().set("x-should-retry", "false"); // OpenAI's SDKs would otherwise retry a 429
                throw new ApiError(429, "insufficient_quota", "insufficient_quota", null, message(b.refusal())).exception();
            }
            reservation = b.reservation();
        }
        RateLimits.Admission rate = limits.admit(who, tokens);
        if (rate.status() != null) RateLimitHeaders.write(resp.headers(), rate.status());
        if (!rate.allowed()) {
            if (budgets != null) budgets.release(reservation);
            long seconds = Math.max(1, (rate.retryAfterNanos() + 999_999_999L) / 1_000_000_000L);
            resp.headers().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            throw new ApiError(429, "rate_limit_exceeded", "rate_limit_exceeded", null, "Rate limit reached for key '"
                    + who.name() + "' on " + rate.limitName() + ". Retry after " + seconds + "s.").exception();
        }
        boolean reconcileTokens = rate.status() != null && who.tpm() != null;
        Budgets.Reservation held = reservation;
        return new Ticket() {
            @Override
            public Consumer<ExchangeOutcome> onDone() {
                if (!reconcileTokens && held.key() == null) return null;
                return o -> {
                    if (reconcileTokens) limits.reconcile(who, tokens, o.usage() == null ? tokens : o.usage().totalTokens());
                    budgets.release(held);
                };
            }

            @Override
            public void cancel() {
                if (reconcileTokens) limits.reconcile(who, tokens, 0);
                if (budgets != null) budgets.release(held);
            }
        };
    }

    /** The answer's length as the request bounds it; embeddings answer no tokens that are billed as output. */
    private static long outputEstimate(InboundRequest in) {
        if (in.op() != Operation.CHAT) return 0;
        JsonNode t = in.tree();
        for (String f : new String[] {"max_completion_tokens", "max_tokens"}) {
            JsonNode n = t.get(f);
            if (n != null && n.canConvertToLong() && n.asLong() > 0) return n.asLong();
        }
        return DEFAULT_OUTPUT_ESTIMATE;
    }

    static String message(Budgets.Refusal r) {
        String resets = r.resetsAt() == null
                ? "The total budget does not reset; ask the gateway's operator to raise it."
                : "The " + r.period().adjective + " budget resets at " + r.resetsAt() + ".";
        return "Budget exceeded for key '" + r.key() + "': its " + r.period().adjective + " budget (" + r.period().field + ") is $"
                + Budget.usd(r.limitNanos()) + ", of which $" + Budget.usd(r.spentNanos()) + " is spent and $"
                + Budget.usd(r.reservedNanos()) + " reserved by requests in flight; this request is estimated at $"
                + Budget.usd(r.estimateNanos()) + ". " + resets;
    }
}
