package io.modelcache.app;

import io.modelcache.node.Failures;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code modelcache} command. Every failure exits non-zero with one line on standard error saying what
 * was wrong.
 */
@Command(name = "modelcache", mixinStandardHelpOptions = true, version = "modelcache 0.1.0",
    description = "A distributed, in-memory cache of AI model weights.",
    subcommands = {NodeCommand.class, PutCommand.class, GetCommand.class, ListCommand.class, StatCommand.class,
        RemoveCommand.class, ClusterCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class ModelCacheCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, for example 'demo'");
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code);
    }

    /** @return the command line with modelcache's error handling */
    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new ModelCacheCommand());
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
