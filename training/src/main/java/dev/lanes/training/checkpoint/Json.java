package dev.lanes.training.checkpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small part of JSON (RFC 8259) a safetensors header needs: a strict parser giving
 * {@code Map<String, Object>} (insertion ordered), {@code List<Object>}, {@code String},
 * {@code Long} (integers), {@code Double} (other numbers), {@code Boolean} and {@code null}; and
 * string quoting for the writer. Duplicate keys, trailing commas, leading zeros, lone surrogates
 * and nesting deeper than {@value #MAX_DEPTH} are errors; integers outside the long range are
 * errors rather than silently rounded.
 */
final class Json {
    static final int MAX_DEPTH = 64;

    private final String text;
    private int position;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    /** A JSON syntax error; the message gives the character offset. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    /** Parses one JSON value that spans all of {@code text} (whitespace around it allowed). */
    static Object parse(String text) throws SyntaxException {
        Json parser = new Json(text);
        parser.skipWhitespace();
        Object value = parser.value();
        parser.skipWhitespace();
        if (parser.position != text.length()) {
            throw parser.error("unexpected " + parser.describeNext() + " after the value");
        }
        return value;
    }

    /** {@code value} as a JSON string literal, quotes included. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private Object value() throws SyntaxException {
        if (position >= text.length()) {
            throw error("unexpected end of the text, expected a value");
        }
        char ch = text.charAt(position);
        return switch (ch) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (ch == '-' || (ch >= '0' && ch <= '9')) {
                    yield number();
                }
                throw error("unexpected " + describeNext() + ", expected a value");
            }
        };
    }

    private Map<String, Object> object() throws SyntaxException {
        enter();
        position++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek('}')) {
            position++;
            depth--;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (!peek('"')) {
                throw error("unexpected " + describeNext() + ", expected a string key");
            }
            int keyStart = position;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value();
            if (map.containsKey(key)) {
                position = keyStart;
                throw error("duplicate key " + quote(key));
            }
            map.put(key, value);
            skipWhitespace();
            if (peek(',')) {
                position++;
                continue;
            }
            expect('}');
            depth--;
            return map;
        }
    }

    private List<Object> array() throws SyntaxException {
        enter();
        position++;
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek(']')) {
            position++;
            depth--;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value());
            skipWhitespace();
            if (peek(',')) {
                position++;
                continue;
            }
            expect(']');
            depth--;
            return list;
        }
    }

    private String string() throws SyntaxException {
        position++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw error("unterminated string");
            }
            char ch = text.charAt(position++);
            if (ch == '"') {
                return out.toString();
            }
            if (ch < 0x20) {
                position--;
                throw error("control character U+" + String.format("%04X", (int) ch) + " inside a string");
            }
            if (ch != '\\') {
                if (Character.isSurrogate(ch)) {
                    if (Character.isHighSurrogate(ch) && position < text.length()
                            && Character.isLowSurrogate(text.charAt(position))) {
                        out.append(ch).append(text.charAt(position++));
                        continue;
                    }
                    position--;
                    throw error("lone surrogate inside a string");
                }
                out.append(ch);
                continue;
            }
            if (position >= text.length()) {
                throw error("unterminated string");
            }
            char escape = text.charAt(position++);
            switch (escape) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> {
                    position -= 2;
                    throw error("invalid escape \\" + escape);
                }
            }
        }
    }

    private char unicodeEscape() throws SyntaxException {
        if (position + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(position + i), 16);
            if (digit < 0) {
                throw error("invalid \\u escape");
            }
            code = code * 16 + digit;
        }
        position += 4;
        return (char) code;
    }

    private Object number() throws SyntaxException {
        int start = position;
        if (peek('-')) {
            position++;
        }
        if (peek('0')) {
            position++;
            if (position < text.length() && Character.isDigit(text.charAt(position))) {
                throw error("leading zero in a number");
            }
        } else if (!digits()) {
            throw error("a number needs digits");
        }
        boolean integer = true;
        if (peek('.')) {
            position++;
            integer = false;
            if (!digits()) {
                throw error("a fraction needs digits");
            }
        }
        if (peek('e') || peek('E')) {
            position++;
            integer = false;
            if (peek('+') || peek('-')) {
                position++;
            }
            if (!digits()) {
                throw error("an exponent needs digits");
            }
        }
        String literal = text.substring(start, position);
        if (integer) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException e) {
                position = start;
                throw error("integer " + literal + " is outside the 64-bit range");
            }
        }
        return Double.parseDouble(literal);
    }

    private boolean digits() {
        int start = position;
        while (position < text.length() && text.charAt(position) >= '0' && text.charAt(position) <= '9') {
            position++;
        }
        return position > start;
    }

    private Object literal(String word, Object value) throws SyntaxException {
        if (!text.startsWith(word, position)) {
            throw error("unexpected " + describeNext() + ", expected a value");
        }
        position += word.length();
        return value;
    }

    private void enter() throws SyntaxException {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private boolean peek(char ch) {
        return position < text.length() && text.charAt(position) == ch;
    }

    private void expect(char ch) throws SyntaxException {
        if (!peek(ch)) {
            throw error("expected '" + ch + "' but found " + describeNext());
        }
        position++;
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char ch = text.charAt(position);
            if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
                return;
            }
            position++;
        }
    }

    private String describeNext() {
        if (position >= text.length()) {
            return "end of the text";
        }
        char ch = text.charAt(position);
        return ch >= 0x20 && ch < 0x7f ? "'" + ch + "'" : String.format("U+%04X", (int) ch);
    }

    private SyntaxException error(String message) {
        return new SyntaxException(message + " at offset " + position);
    }
}
