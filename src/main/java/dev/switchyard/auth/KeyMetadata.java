package dev.switchyard.auth;

import java.util.List;

/** Who a key belongs to, for operators: shown by the admin API, never used for authorisation. */
public record KeyMetadata(String team, String user, List<String> tags) {
    public static final KeyMetadata NONE = new KeyMetadata(null, null, List.of());

    public KeyMetadata {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
