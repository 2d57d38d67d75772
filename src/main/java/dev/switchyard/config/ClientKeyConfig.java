package dev.switchyard.config;

import java.util.List;

/**
 * A static client key from the config file.
 *
 * @param models public model names this key may use (globs)
 * @param usdPerDay null = no limit; likewise the other budget and limit fields
 */
public record ClientKeyConfig(
        String name, Secret key, List<String> models,
        Double usdPerDay, Double usdPerMonth, Double usdTotal,
        Integer rpm, Integer tpm) {}
