package dev.lanes.bench;

import dev.lanes.training.cli.Command;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code lanes bench}: the kernel report, offered to the {@code lanes} program of module training
 * through {@link java.util.ServiceLoader} (training cannot depend on bench).
 */
public final class BenchCommand implements Command {
    /** The service loader's constructor. */
    public BenchCommand() {
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "the kernel report: this machine's peak and each kernel's GFLOP/s (lanes bench --help)";
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(Report.help());
            return 0;
        }
        Report.run(arguments, out);
        return 0;
    }
}
