package dev.lanes.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static String error(String text) {
        return assertThrows(Json.SyntaxException.class, () -> Json.parse(text)).getMessage();
    }

    @Test
    void parsesTheValueKinds() throws Json.SyntaxException {
        Object value = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null, \"x\\u00e9\\n\"], \"b\": {}} ");
        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals(List.of("a", "b"), List.copyOf(map.keySet()));
        List<?> list = (List<?>) map.get("a");
        assertEquals(List.of(1L, -2L, 3.5, 1000.0, true, false), list.subList(0, 6));
        assertNull(list.get(6));
        assertEquals("xé\n", list.get(7));
        assertEquals(Map.of(), map.get("b"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
    }

    @Test
    void quotedStringsParseBack() {
        qt().withFixedSeed(601).forAll(strings().allPossible().ofLengthBetween(0, 40)).checkAssert(text -> {
            // Lone surrogates are not valid JSON text; the writer never receives them from Lanes.
            boolean wellFormed = text.codePoints().noneMatch(point -> point >= 0xD800 && point <= 0xDFFF);
            if (wellFormed) {
                try {
                    assertEquals(text, Json.parse(Json.quote(text)), Arrays.toString(text.toCharArray()));
                } catch (Json.SyntaxException e) {
                    throw new AssertionError(Arrays.toString(text.toCharArray()), e);
                }
            }
        });
    }

    @Test
    void syntaxErrorsGiveTheOffset() {
        assertEquals("leading zero in a number at offset 1", error("01"));
        assertEquals("integer 9223372036854775808 is outside the 64-bit range at offset 0", error("9223372036854775808"));
        assertEquals("unterminated string at offset 4", error("\"abc"));
        assertEquals("invalid escape \\q at offset 1", error("\"\\q\""));
        assertEquals("control character U+000A inside a string at offset 1", error("\"\n\""));
        assertEquals("unexpected ']', expected a value at offset 3", error("[1,]"));
        assertEquals("nesting deeper than 64 levels at offset 64", error("[".repeat(65) + "]".repeat(65)));
        assertEquals("a fraction needs digits at offset 2", error("1."));
        assertEquals("unexpected end of the text, expected a value at offset 0", error(""));
    }
}
