package io.modelcache.sim;

import io.modelcache.node.Failures;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The simulator's commands, run by {@code bin/modelcache} when its first argument is {@code bench} or {@code sim}.
 * Failures exit with code 1 and one line on standard error; usage mistakes with code 2.
 */
@Command(name = "modelcache", mixinStandardHelpOptions = true, version = "modelcache 0.1.0",
    description = "Measure modelcache and the stores its users would otherwise pick; simulate clusters and faults.",
    subcommands = {BenchCommand.class, ScenarioCommand.class, CommandLine.HelpCommand.class})
public final class SimCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, for example 'bench' or 'sim'");
    }

    /**
     * Runs the command line and exits with its code: Pekko's and Hazelcast's threads would keep the JVM alive.
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** @return the command line with the one-line error handling of {@code bin/modelcache} */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new SimCommand());
        line.setExecutionExceptionHandler((error, command, parseResult) -> {
            command.getErr().println("modelcache: error: " + Failures.describe(error));
            return 1;
        });
        line.setParameterExceptionHandler((error, args) -> {
            CommandLine command = error.getCommandLine();
            command.getErr().println("modelcache: error: " + Failures.describe(error) + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return line;
    }
}
