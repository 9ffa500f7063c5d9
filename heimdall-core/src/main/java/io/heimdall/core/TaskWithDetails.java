package io.heimdall.core;

import io.heimdall.core.internal.Checks;
import java.util.List;
import java.util.Optional;

/**
 * A task with its result (if any) and its measurements, loaded eagerly.
 *
 * @param task the task
 * @param result its result, empty while there is none
 * @param measurements its measurements in insertion order, possibly empty
 */
public record TaskWithDetails(
    Task task, Optional<TaskResult> result, List<SignalMeasurement> measurements) {

  /**
   * Copies the measurement list.
   *
   * @param task the task
   * @param result its result, empty while there is none
   * @param measurements its measurements in insertion order, possibly empty
   * @throws io.heimdall.InvalidInputException if the task or the result is null
   */
  public TaskWithDetails {
    Checks.required("task", task);
    Checks.required("result", result);
    measurements = List.copyOf(measurements);
  }
}
