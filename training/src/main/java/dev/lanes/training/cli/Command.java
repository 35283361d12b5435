package dev.lanes.training.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * A subcommand of the {@code lanes} program. {@code train} and {@code eval} live here; other
 * modules add theirs through {@link java.util.ServiceLoader} (module bench provides
 * {@code bench}, the kernel report), so nothing here depends on them at compile time.
 */
public interface Command {
    /** {@return the word that selects the command, e.g. {@code bench}} */
    String name();

    /** {@return one line for {@code lanes --help}} */
    String summary();

    /**
     * Runs the command.
     *
     * @param arguments the arguments after the command's name
     * @param out the stream for the command's results
     * @param err the stream for errors and warnings
     * @return the process exit status: 0 for success, 1 for a failure, 2 for bad usage
     * @throws UsageException for bad arguments (the program prints the message and exits with 2)
     * @throws Exception      for any other failure (the program prints it and exits with 1)
     */
    int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception;
}
