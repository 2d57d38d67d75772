package dev.switchyard.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a YAML parser failure into one line an operator can act on. */
final class YamlErrors {
    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

    private YamlErrors() {}

    /**
     * The parser's complaint without the echoed source lines (they may hold a secret) and with the
     * position of the problem, which the first line alone does not give.
     */
    static String describe(IOException e) {
        String text = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (text == null) return e.getClass().getSimpleName();
        StringBuilder why = new StringBuilder();
        text.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .forEach(l -> why.append(why.isEmpty() ? "" : "; ").append(l.trim()));
        String line = null, column = null;
        Matcher m = MARK.matcher(text);
        while (m.find()) {
            line = m.group(1);
            column = m.group(2);
        }
        if (line == null && e instanceof JsonProcessingException j && j.getLocation() != null
                && j.getLocation() != JsonLocation.NA) {
            line = Integer.toString(j.getLocation().getLineNr());
            column = Integer.toString(j.getLocation().getColumnNr());
        }
        return line == null ? why.toString() : why + " (line " + line + ", column " + column + ")";
    }
}
