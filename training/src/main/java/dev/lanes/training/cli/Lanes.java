package dev.lanes.training.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The {@code lanes} program: {@code lanes train}, {@code lanes eval}, and the commands other
 * modules provide through {@link ServiceLoader} ({@code lanes bench}, from module bench, when it
 * is on the class or module path).
 */
public final class Lanes {
    private Lanes() {
    }

    /**
     * Runs the program and exits with its status.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** The built-in commands, then the discovered ones, by name. */
    static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        commands.put("train", new TrainCommand());
        commands.put("eval", new EvalCommand());
        for (Command command : ServiceLoader.load(Command.class, Lanes.class.getClassLoader())) {
            commands.putIfAbsent(command.name(), command);
        }
        return commands;
    }

    /**
     * Runs {@code lanes args...}; returns the exit status (0 success, 1 failure, 2 bad usage).
     *
     * @param args the command and its arguments
     * @param out the stream for results
     * @param err the stream for errors and warnings
     * @return the exit status: 0 success, 1 failure, 2 bad usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, Command> commands = commands();
        if (args.length == 0) {
            err.print(usage(commands));
            return 2;
        }
        String name = args[0];
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            out.print(usage(commands));
            return 0;
        }
        Command command = commands.get(name);
        if (command == null) {
            String hint = name.equals("bench") ? " (the kernel report lives in module bench, which is not on the class"
                    + " path: run it through ./lanes, which builds and adds it)" : "";
            err.println("lanes: unknown command '" + name + "'" + hint);
            err.println("  commands: " + String.join(", ", commands.keySet()) + " (lanes --help says what each does)");
            return 2;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        try {
            return command.run(rest, out, err);
        } catch (UsageException e) {
            err.println(e.getMessage());
            return 2;
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("lanes " + name + ": no such file: " + e.getFile());
            return 1;
        } catch (Exception e) {
            err.println("lanes " + name + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }

    static String usage(Map<String, Command> commands) {
        StringBuilder text = new StringBuilder("""
                Lanes: pure-Java deep learning on the JDK Vector API.

                usage: lanes COMMAND [OPTIONS]     (lanes COMMAND --help for its options)

                commands:
                """);
        for (Command command : commands.values()) {
            text.append(String.format("  %-8s %s%n", command.name(), command.summary()));
        }
        return text.toString();
    }
}
