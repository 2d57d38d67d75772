package dev.switchyard.model;

/** The OpenAI operations the front accepts; each maps to one upstream endpoint per provider. */
public enum Operation {
    CHAT("/chat/completions"),
    EMBEDDINGS("/embeddings");

    private final String openAiPath;

    Operation(String openAiPath) {
        this.openAiPath = openAiPath;
    }

    /** Path under an OpenAI-style base URL ({@code …/v1}). */
    public String openAiPath() {
        return openAiPath;
    }
}
