package dev.switchyard.config;

import java.util.List;

/** Thrown when a configuration is invalid; carries every problem found, each with its exact path. */
public final class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(problems.size() + " configuration problem(s):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
