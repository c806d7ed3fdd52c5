package io.modelcache.sim.scenario;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolLineTest {

    @Test
    void valuesWithSpacesQuotesAndLineBreaksSurviveARoundTrip() {
        ProtocolLine line = ProtocolLine.of("result", "id", 7, "ok", false, "seconds", 1.5,
            "error", "could not get chunks [3, 4] of \"m\"\nsecond line \\ end", "path", "/tmp/a b/model.onnx");

        String rendered = line.render();
        ProtocolLine parsed = ProtocolLine.parse(rendered);

        assertEquals(1, rendered.lines().count(), rendered);
        assertEquals(line, parsed);
        assertEquals("could not get chunks [3, 4] of \"m\"\nsecond line \\ end", parsed.get("error"));
        assertEquals(1.5, parsed.getDouble("seconds"));
        assertEquals(7, parsed.getLong("id"));
    }

    @Test
    void bareValuesStayBare() {
        assertEquals("sim load id=3 name=m-1 strategy=bounded source=/x/m.onnx",
            ProtocolLine.of("load", "id", 3, "name", "m-1", "strategy", "bounded", "source", "/x/m.onnx").render());
        assertEquals("sim ready", ProtocolLine.of("ready").render());
        assertEquals(new ProtocolLine("ready", Map.of()), ProtocolLine.parse("sim ready"));
    }

    @Test
    void linesOfOtherPrintersAreNotProtocol() {
        assertNull(ProtocolLine.parse("12:00:01.000 INFO  something logged to standard output"));
        assertNull(ProtocolLine.parse(""));
    }

    @Test
    void aBrokenLineOrMissingFieldIsNamed() {
        IllegalArgumentException unterminated = assertThrows(IllegalArgumentException.class,
            () -> ProtocolLine.parse("sim result error=\"never closed"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> ProtocolLine.parse("sim result id=1").get("seconds"));
        IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
            () -> ProtocolLine.parse("sim result seconds=soon").getDouble("seconds"));

        assertTrue(unterminated.getMessage().contains("unterminated"), unterminated.getMessage());
        assertEquals("protocol line has no field 'seconds': sim result id=1", missing.getMessage());
        assertTrue(notNumber.getMessage().contains("seconds=soon is not a number"), notNumber.getMessage());
    }
}
