package dev.switchyard.accounting.latency;

/** What a percentile series is kept for: a provider (by configured name) or a public model. */
public record Scope(Kind kind, String name) {
    public enum Kind { PROVIDER, MODEL }

    public static Scope provider(String name) {
        return new Scope(Kind.PROVIDER, name);
    }

    public static Scope model(String name) {
        return new Scope(Kind.MODEL, name);
    }
}
