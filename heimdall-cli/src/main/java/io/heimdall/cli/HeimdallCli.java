package io.heimdall.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code heimdall} command-line tool.
 *
 * <p>Results go to stdout, logs to stderr. Bad input ends with exit code {@value #EXIT_BAD_INPUT}
 * and one line on stderr that says what was wrong and what was expected; {@code --verbose} adds the
 * stack trace.
 */
@Command(
    name = "heimdall",
    mixinStandardHelpOptions = true,
    versionProvider = HeimdallCli.ManifestVersion.class,
    description = "Heimdall radio-localisation engine: features, inference, persistence, demo.",
    subcommands = {
      CommandLine.HelpCommand.class,
      InferCommand.class,
      InspectCommand.class,
      MelCommand.class,
      IqCommand.class,
      DemoCommand.class
    })
public final class HeimdallCli implements Runnable {

  /** Exit code for bad input: wrong arguments, shapes, types or files. */
  public static final int EXIT_BAD_INPUT = 2;

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** Builds the command line with every subcommand and the error policy of the tool. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new HeimdallCli());
    cli.setExecutionExceptionHandler(HeimdallCli::handleFailure);
    cli.setParameterExceptionHandler(HeimdallCli::handleBadArguments);
    return cli;
  }

  /** Wrong or missing options: one line naming the problem and where the usage is. */
  private static int handleBadArguments(CommandLine.ParameterException bad, String[] args) {
    CommandLine command = bad.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    PrintWriter err = command.getErr();
    err.println(name + ": " + bad.getMessage().replace('\n', ' ') + " (see '" + name + " --help')");
    err.flush();
    return EXIT_BAD_INPUT;
  }

  private static int handleFailure(
      Exception failure, CommandLine command, CommandLine.ParseResult parseResult) {
    PrintWriter err = command.getErr();
    if (parseResult.hasMatchedOption("--verbose")
        || parseResult.subcommands().stream().anyMatch(s -> s.hasMatchedOption("--verbose"))) {
      failure.printStackTrace(err);
    }
    String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    err.println("heimdall " + command.getCommandName() + ": " + message.replace('\n', ' '));
    err.flush();
    return EXIT_BAD_INPUT;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Reads the version from the jar manifest written by the build. */
  static final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = HeimdallCli.class.getPackage().getImplementationVersion();
      return new String[] {
        "heimdall " + (version == null ? "(development build)" : version),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }
}
