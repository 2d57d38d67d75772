package dev.switchyard.auth;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Who is calling: a key's name (never its secret) and what it may use.
 *
 * @param name   the key's name, as in config or the admin API; "anonymous" when anonymous access is on
 * @param models globs of public model names this caller may use
 * @param rpm    requests per minute, or null for no limit
 * @param tpm    tokens per minute, or null for no limit
 * @param budget spend limits ({@link Budget#NONE}: none)
 */
public record ClientIdentity(String name, List<String> models, List<Pattern> modelPatterns, Integer rpm, Integer tpm,
        Budget budget) {
    /** Without a budget. */
    public ClientIdentity(String name, List<String> models, List<Pattern> modelPatterns, Integer rpm, Integer tpm) {
        this(name, models, modelPatterns, rpm, tpm, Budget.NONE);
    }

    public static ClientIdentity of(String name, List<String> globs) {
        return of(name, globs, null, null);
    }

    public static ClientIdentity of(String name, List<String> globs, Integer rpm, Integer tpm) {
        return of(name, globs, rpm, tpm, Budget.NONE);
    }

    public static ClientIdentity of(String name, List<String> globs, Integer rpm, Integer tpm, Budget budget) {
        return new ClientIdentity(name, globs, globs.stream().map(ClientIdentity::glob).toList(), rpm, tpm, budget);
    }

    public boolean mayUse(String model) {
        for (Pattern p : modelPatterns) if (p.matcher(model).matches()) return true;
        return false;
    }

    private static Pattern glob(String g) {
        String[] parts = g.split("\\*", -1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.append(".*");
            if (!parts[i].isEmpty()) b.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(b.toString());
    }
}
