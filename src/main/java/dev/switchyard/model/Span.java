package dev.switchyard.model;

/** A byte range {@code [start, end)} of the client's request body. */
public record Span(int start, int end) {
    public int length() {
        return end - start;
    }
}
