package dev.switchyard.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.auth.Budget;
import dev.switchyard.auth.KeyMetadata;
import dev.switchyard.auth.VirtualKey;
import dev.switchyard.config.Sizes;
import dev.switchyard.model.ApiError;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /admin/keys} and {@code PATCH /admin/keys/{id}}, checked field by field: an error names
 * the field ({@code param: "budget.usd_per_day"}). In a PATCH, an absent field keeps its value and {@code null}
 * clears it (no limit, no expiry). Values are never echoed back in errors beyond the field's name and kind.
 */
final class KeyRequest {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}");
    private static final Set<String> TOP = Set.of("name", "models", "budget", "limits", "metadata", "expires_at", "expires_in");

    private final JsonNode body;
    private final long now;

    private KeyRequest(JsonNode body, long now) {
        this.body = body;
        this.now = now;
    }

    /** A new key's fields from a create request (everything but the secret, which the caller generates). */
    static VirtualKey create(JsonNode body, String id, String digestHex, long now) throws AdminAction.Refused {
        KeyRequest r = new KeyRequest(body, now);
        r.allowOnly(body, "", TOP);
        String name = body.hasNonNull("name") ? r.name() : "key-" + id;
        VirtualKey base = new VirtualKey(id, name, digestHex, List.of("*"), Budget.NONE, null, null, KeyMetadata.NONE, now, now, null, null);
        return r.apply(base);
    }

    /** {@code base} with the request's changes. */
    static VirtualKey update(JsonNode body, VirtualKey base, long now) throws AdminAction.Refused {
        KeyRequest r = new KeyRequest(body, now);
        r.allowOnly(body, "", TOP);
        if (body.has("name") && !body.get("name").asText("").equals(base.name())) {
            throw bad("name", "A key's name cannot change: usage records and budgets are kept by name. Create a new key instead.");
        }
        return r.apply(base);
    }

    private VirtualKey apply(VirtualKey k) throws AdminAction.Refused {
        List<String> models = body.has("models") ? strings(body.get("models"), "models", 256, false) : k.models();
        if (models.isEmpty()) throw bad("models", "'models' must list at least one public model name or glob (\"*\" for all).");
        Budget budget = k.budget();
        JsonNode b = body.get("budget");
        if (b != null) {
            if (b.isNull()) budget = Budget.NONE;
            else {
                object(b, "budget");
                allowOnly(b, "budget.", Set.of("usd_per_day", "usd_per_month", "usd_total"));
                budget = new Budget(usd(b, "usd_per_day", budget.perDay()), usd(b, "usd_per_month", budget.perMonth()),
                        usd(b, "usd_total", budget.total()));
            }
        }
        Integer rpm = k.rpm(), tpm = k.tpm();
        JsonNode l = body.get("limits");
        if (l != null) {
            if (l.isNull()) rpm = tpm = null;
            else {
                object(l, "limits");
                allowOnly(l, "limits.", Set.of("rpm", "tpm"));
                rpm = perMinute(l, "rpm", rpm);
                tpm = perMinute(l, "tpm", tpm);
            }
        }
        KeyMetadata meta = k.metadata();
        JsonNode m = body.get("metadata");
        if (m != null) {
            if (m.isNull()) meta = KeyMetadata.NONE;
            else {
                object(m, "metadata");
                allowOnly(m, "metadata.", Set.of("team", "user", "tags"));
                meta = new KeyMetadata(text(m, "team", meta.team()), text(m, "user", meta.user()),
                        m.has("tags") ? strings(m.get("tags"), "metadata.tags", 64, true) : meta.tags());
            }
        }
        Long expires = k.expiresAt();
        if (body.has("expires_at") && body.has("expires_in")) throw bad("expires_in", "Give either expires_at or expires_in, not both.");
        if (body.has("expires_at")) expires = instant(body.get("expires_at"));
        if (body.has("expires_in")) expires = in(body.get("expires_in"));
        return new VirtualKey(k.id(), k.name(), k.digestHex(), models, budget, rpm, tpm, meta, k.createdAt(), now, expires, k.revokedAt());
    }

    private String name() throws AdminAction.Refused {
        JsonNode n = body.get("name");
        if (!n.isTextual() || !NAME.matcher(n.asText()).matches()) {
            throw bad("name", "'name' must be 1 to 128 letters, digits or . _ @ : - (starting with a letter or digit).");
        }
        return n.asText();
    }

    private void allowOnly(JsonNode n, String prefix, Set<String> known) throws AdminAction.Refused {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw bad(prefix + f, "Unknown field '" + prefix + f + "' (expected one of "
                        + String.join(", ", known.stream().sorted().toList()) + ").");
            }
        }
    }

    private static void object(JsonNode n, String field) throws AdminAction.Refused {
        if (!n.isObject()) throw bad(field, "'" + field + "' must be an object (or null).");
    }

    private static Long usd(JsonNode parent, String f, Long current) throws AdminAction.Refused {
        if (!parent.has(f)) return current;
        JsonNode v = parent.get(f);
        if (v.isNull()) return null;
        if (!v.isNumber() || v.decimalValue().signum() < 0) throw bad("budget." + f, "'budget." + f + "' must be a number of USD ≥ 0, or null.");
        BigDecimal d = v.decimalValue();
        if (d.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) throw bad("budget." + f, "'budget." + f + "' is unreasonably large.");
        return Budget.nanos(d);
    }

    private static Integer perMinute(JsonNode parent, String f, Integer current) throws AdminAction.Refused {
        if (!parent.has(f)) return current;
        JsonNode v = parent.get(f);
        if (v.isNull()) return null;
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
            throw bad("limits." + f, "'limits." + f + "' must be a whole number ≥ 1, or null.");
        }
        return v.asInt();
    }

    private static String text(JsonNode parent, String f, String current) throws AdminAction.Refused {
        if (!parent.has(f)) return current;
        JsonNode v = parent.get(f);
        if (v.isNull()) return null;
        if (!v.isTextual() || v.asText().length() > 200 || !printable(v.asText())) {
            throw bad("metadata." + f, "'metadata." + f + "' must be printable text of at most 200 characters, or null.");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode n, String field, int maxLength, boolean allowEmpty) throws AdminAction.Refused {
        if (!n.isArray() || n.size() > 256) throw bad(field, "'" + field + "' must be a list of strings (at most 256).");
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isTextual() || e.asText().isEmpty() || e.asText().length() > maxLength || !printable(e.asText())) {
                throw bad(field, "'" + field + "' must hold non-empty printable strings of at most " + maxLength + " characters.");
            }
            out.add(e.asText());
        }
        if (out.isEmpty() && !allowEmpty) throw bad(field, "'" + field + "' must not be empty.");
        return List.copyOf(out);
    }

    private Long instant(JsonNode v) throws AdminAction.Refused {
        if (v.isNull()) return null;
        try {
            if (v.isIntegralNumber()) return v.asLong();
            if (v.isTextual()) return Instant.parse(v.asText()).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // reported below
        }
        throw bad("expires_at", "'expires_at' must be an ISO-8601 instant (2026-12-31T23:59:59Z), epoch milliseconds, or null.");
    }

    private Long in(JsonNode v) throws AdminAction.Refused {
        if (v.isNull()) return null;
        Duration d = v.isTextual() ? Sizes.duration(v.asText()) : null;
        if (d == null || d.isNegative() || d.isZero()) throw bad("expires_in", "'expires_in' must be a duration such as 30d, 12h or 90m.");
        return now + d.toMillis();
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) return false;
        return true;
    }

    static AdminAction.Refused bad(String param, String message) {
        return new AdminAction.Refused(new ApiError(400, "invalid_request_error", "invalid_value", param, message));
    }
}
