/**
 * The domain records of Heimdall's database layer: {@link io.heimdall.core.Task}, {@link
 * io.heimdall.core.SignalMeasurement}, {@link io.heimdall.core.TaskResult}, {@link
 * io.heimdall.core.Station} and {@link io.heimdall.core.TaskWithDetails}, with the enums stored as
 * text ({@link io.heimdall.core.TaskStatus}, {@link io.heimdall.core.Priority}, both mapped by
 * {@link io.heimdall.core.DbValue}). Every record validates itself against the schema's
 * constraints and throws {@link io.heimdall.InvalidInputException} for a value the database would
 * refuse. Persistence is in {@link io.heimdall.core.db}, meters in {@link io.heimdall.core.metrics}.
 */
package io.heimdall.core;
