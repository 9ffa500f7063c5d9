package io.heimdall.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * The {@code heimdall} command-line tool.
 *
 * <p>Results go to stdout, logs to stderr. Exit codes and error lines are {@link CliErrors}'s: 0
 * on success, {@value CliErrors#EXIT_BAD_INPUT} for bad input, {@value CliErrors#EXIT_FAILURE}
 * when the environment fails, each with one line on stderr that says what was wrong and what was
 * expected; {@code --verbose} adds the stack trace.
 *
 * <p>A new command is one line in the {@code subcommands} list below. Its options come from the
 * shared mixins ({@link OutputOption}, {@link DeviceOption}, {@link BatchSizeOption}, {@link
 * IqInputOptions}, {@link DurationConverter} for durations), its files are written through {@link
 * AtomicOutput}, its JSON through {@link JsonWriter}, and its failures are thrown, not printed.
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
      DemoCommand.class,
      WorkerCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      LocateCommand.class,
    })
public final class HeimdallCli implements Runnable {

  /** Exit code for bad input: wrong arguments, shapes, types or files. */
  public static final int EXIT_BAD_INPUT = CliErrors.EXIT_BAD_INPUT;

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin VerboseOption verbose;

  /** Creates the top-level command; {@link #commandLine()} is the way to run it. */
  public HeimdallCli() {}

  /** Without a subcommand: prints the usage to stderr. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /**
   * Builds the command line with every subcommand and the error policy of the tool.
   *
   * @return a command line ready to {@code execute}
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new HeimdallCli());
    cli.setExecutionExceptionHandler(CliErrors::onExecutionFailure);
    cli.setParameterExceptionHandler(CliErrors::onBadArguments);
    return cli;
  }

  /**
   * Runs the tool and exits the JVM with the command's exit code.
   *
   * @param args the command line
   */
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
