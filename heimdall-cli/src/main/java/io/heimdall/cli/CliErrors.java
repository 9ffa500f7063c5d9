package io.heimdall.cli;

import io.heimdall.InvalidInputException;
import io.heimdall.inference.ModelLoadException;
import io.heimdall.inference.ProviderUnavailableException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;

/**
 * The tool's one mapping from a failure to an exit code and a line on stderr. Every command is
 * covered without doing anything: {@link HeimdallCli#commandLine()} installs it as picocli's
 * execution and parameter exception handler, so a command's {@code call()} just throws.
 *
 * <ul>
 *   <li>{@value #EXIT_OK}: success.
 *   <li>{@value #EXIT_BAD_INPUT}: bad input, which retrying as given cannot fix: wrong arguments,
 *       missing or malformed input files, shapes, types, non-finite values, an output file that
 *       must not be replaced. Throw an {@link InvalidInputException} (or a subclass) whose message
 *       names the argument or file, the value received and what was expected.
 *   <li>{@value #EXIT_FAILURE}: the environment failed: a database or Redis that is down, I/O
 *       errors on anything but the user's input, ONNX Runtime failing on valid input. Any other
 *       exception lands here.
 * </ul>
 *
 * <p>Either way stderr gets exactly one line, {@code heimdall <command>: <message>}, preceded by
 * the stack trace only under {@code --verbose}.
 */
public final class CliErrors {

  /** Exit code of a command that succeeded. */
  public static final int EXIT_OK = 0;

  /** Exit code of a failure of the environment (database, Redis, I/O not caused by the input). */
  public static final int EXIT_FAILURE = 1;

  /** Exit code of bad input: wrong arguments, shapes, types or files. */
  public static final int EXIT_BAD_INPUT = 2;

  private CliErrors() {}

  /**
   * The exit code for a failure thrown by a command.
   *
   * @param failure what the command threw
   * @return {@value #EXIT_BAD_INPUT} for bad input, else {@value #EXIT_FAILURE}
   */
  public static int exitCode(Throwable failure) {
    return isBadInput(unwrap(failure)) ? EXIT_BAD_INPUT : EXIT_FAILURE;
  }

  /**
   * The one-line message for a failure: its message with line breaks folded, or its type when it
   * has none.
   *
   * @param failure what the command threw
   * @return one line, without the command name
   */
  public static String message(Throwable failure) {
    Throwable cause = unwrap(failure);
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      message = cause.getClass().getSimpleName();
    }
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * Input the user can fix. Besides the SDK's bad-input branch, two library failures count as bad
   * input on a command line, because there the user named the thing at fault: a model file that
   * cannot be loaded, and a {@code --device} this machine cannot provide (a server would retry
   * them; a user corrects the argument). {@link IllegalArgumentException} covers argument checks
   * that are not typed yet.
   */
  private static boolean isBadInput(Throwable failure) {
    return failure instanceof InvalidInputException
        || failure instanceof CommandLine.ParameterException
        || failure instanceof ModelLoadException
        || failure instanceof ProviderUnavailableException
        || failure instanceof IllegalArgumentException;
  }

  /** The failure that matters: wrappers added by futures and unchecked I/O say nothing. */
  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException
            || current instanceof ExecutionException
            || current instanceof UncheckedIOException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /** Picocli's execution exception handler: the stack trace under --verbose, then one line. */
  static int onExecutionFailure(
      Exception failure, CommandLine command, CommandLine.ParseResult parseResult) {
    PrintWriter err = command.getErr();
    if (verbose(parseResult)) {
      failure.printStackTrace(err);
    }
    err.println(command.getCommandSpec().qualifiedName() + ": " + message(failure));
    err.flush();
    return exitCode(failure);
  }

  /** Picocli's parameter exception handler: wrong or missing options are bad input. */
  static int onBadArguments(CommandLine.ParameterException bad, String[] args) {
    CommandLine command = bad.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    PrintWriter err = command.getErr();
    err.println(name + ": " + message(bad) + " (see '" + name + " --help')");
    err.flush();
    return EXIT_BAD_INPUT;
  }

  /** Whether {@code --verbose} was given to the tool or to any command on the way down. */
  private static boolean verbose(CommandLine.ParseResult parseResult) {
    for (CommandLine.ParseResult level = parseResult;
        level != null;
        level = level.subcommand()) {
      if (level.hasMatchedOption(VerboseOption.NAME)) {
        return true;
      }
    }
    return false;
  }
}
