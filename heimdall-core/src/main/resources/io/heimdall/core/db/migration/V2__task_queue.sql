-- Durable task queue: a claimed task carries the worker that holds it, the lease
-- after which it returns to the queue, and how many times it has been claimed.
ALTER TABLE tasks
    ADD COLUMN attempts         int         NOT NULL DEFAULT 0 CONSTRAINT tasks_attempts_check CHECK (attempts >= 0),
    ADD COLUMN worker_id        text,
    ADD COLUMN lease_expires_at timestamptz;

-- Claim order: priority first, then oldest; only queued tasks are indexed.
CREATE INDEX idx_tasks_claim ON tasks
    ((CASE priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END), created_at)
    WHERE status = 'submitted';

-- The reaper looks only at leased tasks.
CREATE INDEX idx_tasks_lease ON tasks (lease_expires_at) WHERE status = 'processing';
