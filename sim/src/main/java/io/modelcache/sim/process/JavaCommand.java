package io.modelcache.sim.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM: this JVM's {@code java} and class path, the flags {@code bin/modelcache}
 * gives a member (Pekko, Kryo and Hazelcast reach into JDK internals), and the caller's heap size, extra flags,
 * main class and arguments.
 */
public final class JavaCommand {
    /** What {@code bin/modelcache} passes to every JVM it starts. */
    private static final List<String> MEMBER_FLAGS = List.of(
        "-XX:MaxDirectMemorySize=64g",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/java.util=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow");

    private JavaCommand() {
    }

    /**
     * @param heapMaxBytes the {@code -Xmx}; 0 leaves the JVM's default
     * @param extraFlags more JVM flags, before the main class
     * @param mainClass the class whose {@code main} runs
     * @param arguments its arguments
     * @return the command to start
     */
    public static List<String> of(long heapMaxBytes, List<String> extraFlags, Class<?> mainClass,
                                  List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (heapMaxBytes > 0) {
            command.add("-Xmx" + Math.ceilDiv(heapMaxBytes, 1 << 20) + "m");
        }
        command.addAll(MEMBER_FLAGS);
        String logbackConfig = System.getProperty("logback.configurationFile");
        if (logbackConfig != null) {
            command.add("-Dlogback.configurationFile=" + logbackConfig);
        }
        command.addAll(extraFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(arguments);
        return command;
    }
}
