package dev.switchyard.accounting.latency;

/**
 * One scope's percentiles over one window.
 *
 * @param latency whole-request latency of successful requests (for a provider: from its answering attempt's start)
 * @param ttft    time to first token of successful streams (for a provider: from its answering attempt's start)
 */
public record ScopeSnapshot(Scope scope, Window window, Percentiles latency, Percentiles ttft) {}
