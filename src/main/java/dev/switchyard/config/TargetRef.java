package dev.switchyard.config;

/** {@code provider/upstream-model} with an optional weight for weighted routing. */
public record TargetRef(String provider, String model, int weight) {
    public String id() {
        return provider + "/" + model;
    }
}
