// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.ocfs2.o2net.config.ConfigParseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bin/o2net}: one command for what an operator does with o2net nodes. {@code node} runs a node from o2cb's
 * {@code cluster.conf} with a disk heartbeat; {@code status}, {@code send-tracking} and {@code call} talk to a running
 * node over its admin socket (what {@code /sys/kernel/debug/o2net} shows for the kernel); {@code probe} connects to
 * any o2net node, kernel or Java, and says why two nodes would not connect.
 * <p>
 * Errors are one line on stderr naming the bad option, or the file and line of a bad configuration, and end the
 * command with one of the {@link ExitCodes}.
 */
@Command(
        name = "o2net",
        mixinStandardHelpOptions = true,
        versionProvider = O2netCli.Version.class,
        description = "Run an o2net node, look into a running one, or probe any o2net node (kernel or Java).",
        subcommands = {
            NodeCommand.class,
            CallCommand.class,
            StatusCommand.class,
            SendTrackingCommand.class,
            ProbeCommand.class,
            DemoCommand.class,
            TortureCommand.class,
            FuzzCommand.class,
            CommandLine.HelpCommand.class
        })
public final class O2netCli implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "missing command: one of node, call, status, send-tracking, probe, demo, torture, fuzz");
    }

    public static void main(String[] args) {
        configureLogging();
        int code = execute(
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                args);
        System.exit(code);
    }

    /** Runs the command line {@code args} with the given output streams and returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new O2netCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(O2netCli::handleException);
        cl.setParameterExceptionHandler(O2netCli::handleParameterException);
        cl.setExitCodeExceptionMapper(t -> t instanceof CliException
                ? ((CliException) t).exitCode()
                : t instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.FAILED);
        java.util.List<CommandLine> all =
                new java.util.ArrayList<>(cl.getSubcommands().values());
        all.add(cl);
        for (CommandLine c : all) {
            c.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n");
            c.getCommandSpec().usageMessage().exitCodeList(exitCodes());
        }
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static java.util.Map<String, String> exitCodes() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String line : ExitCodes.HELP) {
            int colon = line.indexOf(':');
            m.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return m;
    }

    /**
     * A bad command line: the error naming the option (an unknown option first, even if required ones are missing
     * too), suggestions for a misspelt one, and where the help is; not the whole usage text.
     */
    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String who = cl.getCommandSpec().qualifiedName();
        java.util.List<String> unmatched = cl.getParseResult() == null
                ? java.util.List.of()
                : cl.getParseResult().unmatched();
        if (!(e instanceof CommandLine.UnmatchedArgumentException) && !unmatched.isEmpty()) {
            String first = unmatched.get(0);
            err.println(who + ": " + (first.startsWith("-") ? "Unknown option: '" : "Unexpected argument: '") + first
                    + "'");
        }
        err.println(who + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + who + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** One line for the errors a user can fix; a stack trace only for what looks like a bug. */
    private static int handleException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        String who = cl.getCommandSpec().qualifiedName();
        if (e instanceof CliException) {
            err.println(who + ": " + e.getMessage());
            return ((CliException) e).exitCode();
        }
        if (e instanceof ConfigParseException) {
            err.println(who + ": " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        err.println(who + ": unexpected error: " + e);
        e.printStackTrace(err);
        return ExitCodes.FAILED;
    }

    /**
     * The node's log: SLF4J's simple logger on stderr with a timestamp, INFO and above, unless the user set these
     * properties ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug} through {@code JAVA_OPTS}).
     */
    static void configureLogging() {
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The version from the build ({@code o2net-cli.properties}), and the protocols it speaks. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "o2net " + version(), "o2net protocol v11 (kernel) and v12 (reliable); Java " + Runtime.version()
            };
        }

        static String version() {
            Properties p = new Properties();
            try (InputStream in = O2netCli.class.getResourceAsStream("/o2net-cli.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // fall through to "unknown"
            }
            return p.getProperty("version", "unknown");
        }
    }
}
