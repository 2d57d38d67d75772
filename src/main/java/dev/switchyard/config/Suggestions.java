package dev.switchyard.config;

import java.util.Set;

/** "Did you mean …?" for misspelt names in the configuration. */
final class Suggestions {
    private Suggestions() {}

    /** @return " (did you mean 'x'?)" for a close match (edit distance under 3), else " (declared: a, b)" */
    static String suggest(String given, Set<String> known) {
        String best = null;
        int bestDist = 3;
        for (String k : known) {
            int d = distance(given, k);
            if (d < bestDist) {
                bestDist = d;
                best = k;
            }
        }
        return best == null ? " (declared: " + String.join(", ", known) + ")" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
