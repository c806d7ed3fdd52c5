package io.modelcache.sim.scenario;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One line between the simulator and a client JVM ({@link io.modelcache.sim.SimClient}): commands on the client's
 * standard input, events and results on its standard output. A line reads
 *
 * <pre>
 *   sim VERB key=value key="a value with spaces" ...
 * </pre>
 *
 * A value of letters, digits and {@code . _ : / @ + -} stands bare; any other is quoted, with {@code \"},
 * {@code \\}, {@code \n} and {@code \r} escaped, so one line always holds one message. Lines not starting with
 * {@code sim } are not protocol (a library printing to standard output) and {@link #parse} returns {@code null}.
 *
 * @param verb what the line is: a command ({@code put}, {@code load}, {@code resume}, {@code remove},
 *     {@code await-nodes}) or an event ({@code ready}, {@code progress}, {@code result})
 * @param fields its fields, in order
 */
public record ProtocolLine(String verb, Map<String, String> fields) {
    private static final String PREFIX = "sim ";

    /** Copies the fields. */
    public ProtocolLine {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** @return a line with the verb and the fields given as key, value, key, value... */
    public static ProtocolLine of(String verb, Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("fields of '" + verb + "' come in pairs, got " + keysAndValues.length);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            fields.put(keysAndValues[i].toString(), format(keysAndValues[i + 1]));
        }
        return new ProtocolLine(verb, fields);
    }

    /** @return this line with one more field */
    public ProtocolLine with(String key, Object value) {
        Map<String, String> more = new LinkedHashMap<>(fields);
        more.put(key, format(value));
        return new ProtocolLine(verb, more);
    }

    private static String format(Object value) {
        return value instanceof Double number ? String.format(Locale.ROOT, "%.6f", number) : String.valueOf(value);
    }

    /** @return the line, without a line break */
    public String render() {
        StringBuilder line = new StringBuilder(PREFIX).append(verb);
        fields.forEach((key, value) -> line.append(' ').append(key).append('=').append(quote(value)));
        return line.toString();
    }

    /**
     * @return the line's message, or {@code null} when the line is not protocol
     * @throws IllegalArgumentException naming the line when it starts like protocol but cannot be read
     */
    public static ProtocolLine parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        int verbEnd = line.indexOf(' ', PREFIX.length());
        String verb = line.substring(PREFIX.length(), verbEnd < 0 ? line.length() : verbEnd);
        Map<String, String> fields = new LinkedHashMap<>();
        int at = verbEnd < 0 ? line.length() : verbEnd;
        while (at < line.length()) {
            while (at < line.length() && line.charAt(at) == ' ') {
                at++;
            }
            if (at == line.length()) {
                break;
            }
            int equals = line.indexOf('=', at);
            if (equals < 0) {
                throw new IllegalArgumentException("protocol line has a field without '=': " + line);
            }
            String key = line.substring(at, equals);
            StringBuilder value = new StringBuilder();
            at = readValue(line, equals + 1, value);
            fields.put(key, value.toString());
        }
        return new ProtocolLine(verb, fields);
    }

    private static int readValue(String line, int start, StringBuilder value) {
        if (start >= line.length() || line.charAt(start) != '"') {
            int end = line.indexOf(' ', start);
            end = end < 0 ? line.length() : end;
            value.append(line, start, end);
            return end;
        }
        for (int at = start + 1; at < line.length(); at++) {
            char c = line.charAt(at);
            if (c == '"') {
                return at + 1;
            }
            if (c == '\\' && at + 1 < line.length()) {
                char escaped = line.charAt(++at);
                value.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> escaped;
                });
            } else {
                value.append(c);
            }
        }
        throw new IllegalArgumentException("protocol line has an unterminated quoted value: " + line);
    }

    private static String quote(String value) {
        if (!value.isEmpty() && value.chars().allMatch(ProtocolLine::isBare)) {
            return value;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static boolean isBare(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || ".:_/@+-".indexOf(c) >= 0;
    }

    /**
     * @return the field's value
     * @throws IllegalArgumentException naming the line when it has no such field
     */
    public String get(String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException("protocol line has no field '" + key + "': " + render());
        }
        return value;
    }

    /** @return the field's value, or {@code fallback} when it is missing */
    public String get(String key, String fallback) {
        return fields.getOrDefault(key, fallback);
    }

    /**
     * @return the field as a long
     * @throws IllegalArgumentException naming the line when it is missing or not a number
     */
    public long getLong(String key) {
        try {
            return Long.parseLong(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("protocol field " + key + "=" + get(key) + " is not a whole number: "
                + render());
        }
    }

    /**
     * @return the field as a double
     * @throws IllegalArgumentException naming the line when it is missing or not a number
     */
    public double getDouble(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("protocol field " + key + "=" + get(key) + " is not a number: "
                + render());
        }
    }

    /** @return the field as a double, or empty when it is missing */
    public OptionalDouble findDouble(String key) {
        return fields.containsKey(key) ? OptionalDouble.of(getDouble(key)) : OptionalDouble.empty();
    }

    /** @return whether the field is {@code true} */
    public boolean isTrue(String key) {
        return "true".equals(fields.get(key));
    }
}
