package io.heimdall.core.db;

import io.heimdall.core.Task;
import java.time.Instant;

/**
 * A task a worker holds until {@link #leaseExpiresAt()}; pass it back to {@link
 * TaskQueue#complete}, {@link TaskQueue#fail} or {@link TaskQueue#extendLease}.
 *
 * @param task the task, status processing
 * @param workerId the holder
 * @param attempt which claim this is, from 1
 * @param leaseExpiresAt when the task returns to the queue unless completed, failed or extended
 */
public record ClaimedTask(Task task, String workerId, int attempt, Instant leaseExpiresAt) {}
