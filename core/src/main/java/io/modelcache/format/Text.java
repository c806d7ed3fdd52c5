package io.modelcache.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Renders untrusted values for error messages: quoted, control characters escaped, cut to a bounded length so that
 * a hostile header cannot blow up a message.
 */
final class Text {

    /** Longest rendering of one value in a message, in characters. */
    static final int MAX_SHOWN_CHARS = 120;

    private Text() {
    }

    /** Renders a string in single quotes, escaped and truncated. */
    static String quoted(String value) {
        return "'" + shown(value) + "'";
    }

    /** Escapes control characters and truncates to {@link #MAX_SHOWN_CHARS}, noting the full length. */
    static String shown(String value) {
        return shown(value, MAX_SHOWN_CHARS);
    }

    /** Escapes control characters and truncates to {@code maxChars}, noting the full length. */
    static String shown(String value, int maxChars) {
        boolean truncated = value.length() > maxChars;
        String head = truncated ? value.substring(0, maxChars) : value;
        StringBuilder out = new StringBuilder(head.length() + 32);
        head.codePoints().forEach(c -> appendEscaped(out, c));
        if (truncated) {
            out.append("... (").append(value.length()).append(" chars)");
        }
        return out.toString();
    }

    /** Renders a JSON value; arrays as {@code [1, 2]} to match how parsed shapes and offsets are shown. */
    static String json(JsonNode node) {
        if (!node.isArray()) {
            return shown(node.toString());
        }
        StringJoiner joined = new StringJoiner(", ", "[", "]");
        int shownElements = 0;
        while (shownElements < node.size() && joined.length() <= MAX_SHOWN_CHARS) {
            joined.add(shown(node.get(shownElements).toString()));
            shownElements++;
        }
        if (shownElements < node.size()) {
            joined.add("... " + (node.size() - shownElements) + " more");
        }
        return joined.toString();
    }

    /** Describes a JSON value with its type, such as {@code a JSON number 2.5} or {@code JSON null}. */
    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case NULL -> "JSON null";
            case ARRAY -> "a JSON array " + json(node);
            case OBJECT -> "a JSON object " + json(node);
            default -> "a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + json(node);
        };
    }

    /** Formats a pair of offsets as {@code [begin, end]}. */
    static String offsets(long begin, long end) {
        return "[" + begin + ", " + end + "]";
    }

    /** Renders one character with its code point, such as {@code '[' (U+005B)}. */
    static String character(int codePoint) {
        StringBuilder out = new StringBuilder("'");
        appendEscaped(out, codePoint);
        return out.append("' (U+").append(String.format(Locale.ROOT, "%04X", codePoint)).append(')').toString();
    }

    private static void appendEscaped(StringBuilder out, int codePoint) {
        if (Character.isISOControl(codePoint) || codePoint == '\uFEFF') {
            out.append(String.format(Locale.ROOT, "\\u%04x", codePoint));
        } else {
            out.appendCodePoint(codePoint);
        }
    }
}
