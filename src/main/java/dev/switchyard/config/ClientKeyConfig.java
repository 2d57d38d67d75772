package dev.switchyard.config;

import java.util.List;

/**
 * A static client key from the config file.
 *
 * @param models public model names this key may use (globs)
 * @param usdPerDay null = no limit; likewise the other budget and limit fields
 * @param team     metadata for usage reports and the admin API; null when not set (likewise {@code user})
 * @param tags     free-form labels; empty when not set
 */
public record ClientKeyConfig(
        String name, Secret key, List<String> models,
        Double usdPerDay, Double usdPerMonth, Double usdTotal,
        Integer rpm, Integer tpm,
        String team, String user, List<String> tags) {

    /** Without metadata. */
    public ClientKeyConfig(String name, Secret key, List<String> models, Double usdPerDay, Double usdPerMonth, Double usdTotal,
            Integer rpm, Integer tpm) {
        this(name, key, models, usdPerDay, usdPerMonth, usdTotal, rpm, tpm, null, null, List.of());
    }
}
