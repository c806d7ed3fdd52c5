package io.modelcache.format;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads decoded header text as one JSON object: it must start with an opening brace at its first character, be valid
 * JSON without duplicate keys at any level, and be followed only by spaces (0x20). Stateless; the shared mapper is
 * thread-safe.
 */
final class HeaderJson {

    private static final int MAX_HEADER_CHARS = (int) Safetensors.MAX_HEADER_BYTES;

    /** Longest JSON parser message quoted in an error, in characters. */
    private static final int MAX_JSON_ERROR_CHARS = 400;

    /** Strict duplicate detection; strings and names may be as long as the header itself. */
    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(MAX_HEADER_CHARS)
                            .maxNameLength(MAX_HEADER_CHARS)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private HeaderJson() {
    }

    /** Receives each top-level member of the header object, in header order. */
    @FunctionalInterface
    interface MemberHandler {
        /** Handles one member; {@code value} is a small tree holding only that member's value. */
        void member(String key, JsonNode value) throws InvalidModelException;
    }

    /**
     * Streams the members of the header object of {@code fileName} to {@code handler}, one small tree at a time so
     * that a large header never exists as one tree. Refuses anything but one JSON object followed by spaces; the
     * caller may already have removed trailing spaces.
     */
    static void forEachMember(String text, String fileName, MemberHandler handler) throws InvalidModelException {
        requireObjectStart(text, fileName);
        try (JsonParser parser = MAPPER.createParser(text)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                JsonNode value = MAPPER.readTree(parser);
                handler.member(key, value == null ? NullNode.getInstance() : value);
            }
            requireOnlySpacesAfter(text, parser.currentLocation().getCharOffset(), fileName);
        } catch (JacksonException e) {
            throw notJson(fileName, e);
        } catch (IOException e) {
            throw new IllegalStateException("reading a String cannot fail with I/O", e);
        }
    }

    private static void requireObjectStart(String text, String fileName) throws InvalidModelException {
        if (text.isEmpty()) {
            throw InvalidModelException.of("header of %s is not a JSON object: it holds only spaces", fileName);
        }
        int first = text.codePointAt(0);
        if (first != '{') {
            throw InvalidModelException.of("header of %s is not a JSON object: it must start with '{' at its first"
                    + " byte, but starts with %s", fileName, Text.character(first));
        }
    }

    private static void requireOnlySpacesAfter(String text, long endCharOffset, String fileName)
            throws InvalidModelException {
        for (int i = (int) endCharOffset; i < text.length(); i++) {
            if (text.charAt(i) != ' ') {
                throw InvalidModelException.of("header of %s has trailing content after the JSON object at character"
                        + " %d: %s; only spaces (0x20) may pad the header",
                        fileName, i, Text.quoted(text.substring(i, Math.min(text.length(), i + 40))));
            }
        }
    }

    private static InvalidModelException notJson(String fileName, JacksonException e) {
        JsonLocation where = e.getLocation();
        String location = where == null ? "" : String.format(Locale.ROOT, " at line %d, column %d",
                where.getLineNr(), where.getColumnNr());
        return new InvalidModelException(String.format(Locale.ROOT, "header of %s is not valid JSON%s: %s",
                fileName, location, Text.shown(e.getOriginalMessage(), MAX_JSON_ERROR_CHARS)), e);
    }
}
