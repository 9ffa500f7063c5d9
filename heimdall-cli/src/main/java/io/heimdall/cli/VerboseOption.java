package io.heimdall.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --verbose}: print the stack trace of a failure before its one-line message.
 *
 * <p>Mixed into the {@code heimdall} command itself with {@link ScopeType#INHERIT} scope, so every
 * subcommand accepts it ({@code heimdall infer --verbose ...}) without declaring it; a command must
 * not declare its own {@code --verbose}. {@link CliErrors} reads it from the parse result.
 */
public final class VerboseOption {

  /** The option's name. */
  public static final String NAME = "--verbose";

  @Option(
      names = NAME,
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error before its one-line message.")
  boolean verbose;

  /** Creates the option, off; picocli sets it. */
  public VerboseOption() {}

  /**
   * Whether {@code --verbose} was given.
   *
   * @return true to print stack traces
   */
  public boolean verbose() {
    return verbose;
  }
}
