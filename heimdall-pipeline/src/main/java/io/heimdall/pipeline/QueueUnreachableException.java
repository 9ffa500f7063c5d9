package io.heimdall.pipeline;

import io.heimdall.HeimdallException;

/**
 * The workers stopped because the task queue's database stayed unreachable for longer than their
 * give-up time ({@link LocalizationPipeline.Builder#outageGiveUp}). Tasks they held return to the
 * queue when their leases expire; nothing half-written was stored.
 */
public class QueueUnreachableException extends HeimdallException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message how long the database was unreachable and the last error it gave
   * @param cause the last failure
   */
  public QueueUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
