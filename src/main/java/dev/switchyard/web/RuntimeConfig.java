package dev.switchyard.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.store.RuntimeConfigStore;
import java.sql.SQLException;
import java.util.List;

/**
 * The runtime layer of the configuration, as the admin API may change it: entries of {@code providers},
 * {@code models} and {@code pricing} (price overrides, named {@code provider/model}) set or removed over the file.
 * Each change is validated with the file by the same rules as the file alone, persisted, then applied live. The
 * methods block (JDBC, validation): call them from a worker thread.
 */
public interface RuntimeConfig {
    List<String> SECTIONS = List.of("providers", "models", "pricing");

    /** How a change ended. @param problems why it was rejected, each with its config path */
    record Outcome(Result result, List<String> problems, String summary) {}

    enum Result { APPLIED, INVALID, NOT_FOUND }

    /** Sets the entry (replacing the file's entry of that name, if any). */
    Outcome put(String section, String name, JsonNode body) throws SQLException;

    /** Removes the entry from the effective configuration (also when the file defines it). */
    Outcome remove(String section, String name) throws SQLException;

    /** Forgets the runtime entry: the file's entry of that name, if any, applies again. */
    Outcome forget(String section, String name) throws SQLException;

    /** The runtime layer as stored (bodies are raw: redact before showing). */
    List<RuntimeConfigStore.Entry> entries();
}
