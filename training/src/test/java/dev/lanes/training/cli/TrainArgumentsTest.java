package dev.lanes.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainArgumentsTest {
    @Test
    void splitsByNameInEveryFormAndOverridesReplaceEarlierValues() throws Exception {
        TrainArguments.Split split = TrainArguments.split(List.of("--k", "8", "--epochs=3", "--reuse", "--lr", "0.01",
                "--lambda=0.5", "--seed", "-4"), Set.of("k", "lambda", "reuse"));
        assertEquals(List.of("--k", "8", "--reuse", "--lambda=0.5"), split.own());
        assertEquals(List.of("--epochs=3", "--lr", "0.01", "--seed", "-4"), split.train());
        List<String> changed = TrainArguments.with(split.train(), Map.of("epochs", "5"));
        assertEquals(List.of("--lr", "0.01", "--seed", "-4", "--epochs", "5"), changed);
        assertEquals(5, TrainArguments.settings("search", changed).epochs());
        assertEquals(changed, TrainArguments.withDefault(changed, "epochs", "9"));
        assertEquals("runs/x", TrainArguments.settings("search", TrainArguments.withDefault(changed, "output",
                "runs/x")).output().toString());
        UsageException bad = assertThrows(UsageException.class, () -> TrainArguments.settings("search",
                List.of("--epochs", "0")));
        assertTrue(bad.getMessage().startsWith("lanes search: option --epochs must be"), bad.getMessage());
    }
}
