package dev.lanes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.training.cli.Lanes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * lanes bench through the lanes program: help and bad options answer at once, before any
 * measurement, with one line naming what is valid and status 2.
 */
class BenchCommandTest {
    private record Run(int status, String out, String err) {
    }

    private static Run lanes(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Lanes.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheOptionsAndSectionsWithoutMeasuring() {
        for (String help : List.of("--help", "-h")) {
            Run run = lanes("bench", "--quick", help);
            assertEquals(0, run.status(), run.err());
            assertTrue(run.out().startsWith("usage: lanes bench [--quick]"), run.out());
            assertTrue(run.out().contains("peak, gemm, conv, activation"), run.out());
            assertTrue(run.out().contains("% of that peak"), run.out());
            assertEquals("", run.err());
        }
        assertTrue(lanes("--help").out().contains("bench    the kernel report"));
    }

    @Test
    void unknownSectionsAndOptionsAreUsageErrorsNamingTheValidOnes() {
        Run section = lanes("bench", "--only=gemmm");
        assertEquals(2, section.status());
        assertEquals("", section.out(), "nothing is measured");
        assertEquals("lanes bench: unknown section 'gemmm' in --only (valid: peak, gemm, conv, activation)\n",
                section.err());
        Run second = lanes("bench", "--only", "gemm,convs");
        assertEquals(2, second.status());
        assertTrue(second.err().startsWith("lanes bench: unknown section 'convs'"), second.err());
        Run option = lanes("bench", "--fast");
        assertEquals(2, option.status());
        assertEquals("", option.out());
        assertEquals("lanes bench: unknown option --fast (valid: --only, --openblas, --quick; see lanes bench --help)\n",
                option.err());
        Run word = lanes("bench", "quick");
        assertEquals(2, word.status());
        assertTrue(word.err().startsWith("lanes bench: unexpected argument 'quick'"), word.err());
        Run value = lanes("bench", "--quick=yes");
        assertEquals(2, value.status());
        assertEquals("lanes bench: option --quick takes no value\n", value.err());
    }

    @Test
    void onlyKeepsThePeakFirstAndTheReportOrder() throws Exception {
        List<String> names = Report.sections(Report.parse(List.of("--only", "activation,gemm"))).stream()
                .map(section -> section.name()).toList();
        assertEquals(List.of("peak", "gemm", "activation"), names);
        assertEquals(Report.sectionNames(), Report.sections(Report.parse(List.of("--quick"))).stream()
                .map(section -> section.name()).toList());
    }

    @Test
    void profileHelpAnswersAtOnceAndBadOptionsAreUsageErrors() {
        Run help = lanes("profile", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("measured first"), help.out());
        Run bad = lanes("profile", "--peak", "0");
        assertEquals(2, bad.status());
        assertTrue(bad.err().startsWith("lanes profile: option --peak must be a number > 0.0"), bad.err());
    }
}
