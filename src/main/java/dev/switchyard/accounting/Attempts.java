package dev.switchyard.accounting;

import dev.switchyard.resilience.AttemptLog;
import java.util.List;

/** Reading an {@link AttemptLog} as physical attempts. */
public final class Attempts {
    private Attempts() {}

    /**
     * Whether two log entries are one attempt: a committed stream is logged when its first token arrives and
     * again if it breaks later; both entries carry the attempt's start.
     */
    public static boolean same(AttemptLog.Attempt a, AttemptLog.Attempt b) {
        return a.startOffsetNanos() == b.startOffsetNanos() && a.target().equals(b.target());
    }

    /** Whether an outcome label is a 2xx status. */
    public static boolean succeeded(String outcome) {
        return outcome.length() == 3 && outcome.charAt(0) == '2';
    }

    /** The entry that answered a successful request: the first entry of the last attempt, when it is a 2xx; else null. */
    public static AttemptLog.Attempt answering(AttemptLog log) {
        if (log == null) return null;
        List<AttemptLog.Attempt> all = log.attempts();
        int i = all.size() - 1;
        if (i < 0) return null;
        while (i > 0 && same(all.get(i - 1), all.get(i))) i--;
        AttemptLog.Attempt a = all.get(i);
        return succeeded(a.outcome()) ? a : null;
    }
}
