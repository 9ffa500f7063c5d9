package io.heimdall;

/**
 * The root of every exception that Heimdall throws on purpose. Unchecked, so that it travels
 * through {@link java.util.concurrent.CompletableFuture}s and lambdas unchanged; one {@code catch
 * (HeimdallException e)} handles every module's failures.
 *
 * <p>Two branches matter to callers: {@link InvalidInputException}, for input that can never
 * succeed as given (retrying it is pointless), and everything else, for failures of the
 * environment (a database or Redis that went away, a model that failed to run), which may succeed
 * later. Using a closed resource is not a {@code HeimdallException}: it throws {@link
 * IllegalStateException}, as the JDK does.
 */
public class HeimdallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what failed and what was expected
   */
  public HeimdallException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what failed and what was expected
   * @param cause the underlying failure
   */
  public HeimdallException(String message, Throwable cause) {
    super(message, cause);
  }
}
