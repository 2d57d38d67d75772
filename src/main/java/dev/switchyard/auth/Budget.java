package dev.switchyard.auth;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A key's spend limits in nano-USD (1e-9 USD, the ledger's unit); a null field is no limit of that kind.
 *
 * @param perDay   per UTC day
 * @param perMonth per UTC calendar month
 * @param total    for the key's whole life
 */
public record Budget(Long perDay, Long perMonth, Long total) {
    public static final Budget NONE = new Budget(null, null, null);

    public boolean isSet() {
        return perDay != null || perMonth != null || total != null;
    }

    /** From USD amounts as configured; null stays "no limit". */
    public static Budget ofUsd(Double perDay, Double perMonth, Double total) {
        return new Budget(nanos(perDay), nanos(perMonth), nanos(total));
    }

    public static Long nanos(Double usd) {
        return usd == null ? null : nanos(BigDecimal.valueOf(usd));
    }

    public static Long nanos(BigDecimal usd) {
        return usd == null ? null : usd.movePointRight(9).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** Plain USD text, e.g. {@code 12.5}. */
    public static String usd(long nanos) {
        BigDecimal d = BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }
}
