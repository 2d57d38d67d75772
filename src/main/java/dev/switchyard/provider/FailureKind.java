package dev.switchyard.provider;

/** What the attempt loop should do about a failed upstream attempt. */
public enum FailureKind {
    /** transient (5xx, reset, timeout): may be retried on the same target, then failed over */
    TRANSIENT,
    /** the target is unusable for this request (auth, unknown model, protocol error): fail over at once */
    FAILOVER,
    /** 429: cool the target down until its retry hint, fail over at once */
    RATE_LIMITED,
    /** the client's request is at fault: return the upstream's error as is, never fail over */
    CLIENT_ERROR,
    /** the prompt does not fit: fail over only to targets with a larger context window */
    CONTEXT_TOO_LONG,
    /** a content-policy refusal: fail over only when the route allows it */
    CONTENT_FILTER
}
