package dev.switchyard.accounting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small parser for the Prometheus text exposition format, enough to assert on samples by labels. */
final class PromText {
    record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    PromText(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                types.put(p[0], p[1]);
            }
            if (line.isBlank() || line.startsWith("#")) continue;
            samples.add(parse(line));
        }
    }

    private static Sample parse(String line) {
        int brace = line.indexOf('{');
        int space;
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace < 0) {
            space = line.indexOf(' ');
            name = line.substring(0, space);
        } else {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                StringBuilder v = new StringBuilder();
                int j = eq + 2; // past ="
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        v.append(n == 'n' ? '\n' : n);
                    } else {
                        v.append(c);
                    }
                    j++;
                }
                labels.put(key, v.toString());
                i = j + 1;
                if (line.charAt(i) == ',') i++;
            }
            space = line.indexOf(' ', i);
        }
        String rest = line.substring(space + 1).trim();
        int sp = rest.indexOf(' ');
        String value = sp < 0 ? rest : rest.substring(0, sp);
        return new Sample(name, labels, Double.parseDouble(value));
    }

    /** Sum of every sample named {@code name} whose labels include all of {@code match} (key, value pairs). */
    double sum(String name, String... match) {
        double total = 0;
        for (Sample s : find(name, match)) total += s.value();
        return total;
    }

    List<Sample> find(String name, String... match) {
        List<Sample> out = new ArrayList<>();
        outer:
        for (Sample s : samples) {
            if (!s.name().equals(name)) continue;
            for (int i = 0; i + 1 < match.length; i += 2) {
                if (!match[i + 1].equals(s.labels().get(match[i]))) continue outer;
            }
            out.add(s);
        }
        return out;
    }

    String type(String family) {
        return types.get(family);
    }
}
