/**
 * The version of the table layout below. Recorded in `alsek_meta` on open; a database written by a
 * newer layout is refused rather than misread.
 */
export const SCHEMA_VERSION = 1;

/**
 * The whole layout, idempotent so that every process may run it on open. Every table carries the
 * backend namespace in `ns`, so several namespaces share one file without seeing each other.
 *
 * `alsek_messages.due_at` holds `readyAt` while a message is delayed and the lease expiry while it
 * is active: both are "when this row needs attention", so one index answers both promotion and
 * lease reclaiming without scanning.
 *
 * `alsek_kv.rank` is set for statuses (guarded writes compare it) and `NULL` for plain values;
 * `alsek_applied` remembers applied fenced writes by lease token, so a re-sent one answers `ok`.
 * Files made before those existed gain them on open (see `openDatabase`).
 * `alsek_throughput` counts acks and failures per queue per minute (epoch minute); the ack and fail
 * transactions bump it, and rows older than an hour are deleted as minutes pass. Added without a
 * version change: older versions never read it.
 * `alsek_schedules` holds the schedules of trigger tasks shared by every process (next slot,
 * paused flag, fire count, the trigger and the progenitor message); also added without a version
 * change.
 * `alsek_flow_control` holds a queue's pause flag and rate limit (`task = ''`) and its tasks' rate
 * limits (one row per task), each limit with its window of claim times (a JSON array, oldest
 * first), which the claim transaction reads and updates. Added without a version change: older
 * versions ignore it (and so ignore pauses and limits).
 * `alsek_events` holds each queue's event stream (only with the `events` option): rows are written
 * in the transaction of the state change they record, and trimmed to about the cap per queue.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS alsek_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS alsek_queues (
  ns    TEXT NOT NULL,
  queue TEXT NOT NULL,
  seq   INTEGER NOT NULL,
  PRIMARY KEY (ns, queue)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS alsek_signals (
  ns      TEXT NOT NULL,
  queue   TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (ns, queue)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS alsek_messages (
  ns             TEXT NOT NULL,
  queue          TEXT NOT NULL,
  uuid           TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('ready', 'delayed', 'active')),
  priority       INTEGER NOT NULL,
  seq            INTEGER NOT NULL,
  due_at         INTEGER,
  token          TEXT,
  expired_leases INTEGER NOT NULL DEFAULT 0,
  data           TEXT NOT NULL,
  PRIMARY KEY (ns, queue, uuid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alsek_messages_by_order
  ON alsek_messages (ns, queue, state, priority, seq);
CREATE INDEX IF NOT EXISTS alsek_messages_by_due
  ON alsek_messages (ns, queue, state, due_at);

CREATE TABLE IF NOT EXISTS alsek_dead_letters (
  ns         TEXT NOT NULL,
  queue      TEXT NOT NULL,
  uuid       TEXT NOT NULL,
  data       TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (ns, queue, uuid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alsek_dead_letters_by_expiry ON alsek_dead_letters (ns, expires_at);
CREATE INDEX IF NOT EXISTS alsek_dead_letters_by_queue ON alsek_dead_letters (ns, queue, expires_at, uuid);

CREATE TABLE IF NOT EXISTS alsek_throughput (
  ns        TEXT NOT NULL,
  queue     TEXT NOT NULL,
  minute    INTEGER NOT NULL,
  completed INTEGER NOT NULL DEFAULT 0,
  failed    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (ns, queue, minute)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS alsek_flow_control (
  ns          TEXT NOT NULL,
  queue       TEXT NOT NULL,
  task        TEXT NOT NULL,
  paused      INTEGER NOT NULL DEFAULT 0,
  max         INTEGER,
  duration_ms INTEGER,
  window      TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (ns, queue, task)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS alsek_results (
  id              INTEGER PRIMARY KEY,
  ns              TEXT NOT NULL,
  queue           TEXT NOT NULL,
  uuid            TEXT NOT NULL,
  value           TEXT NOT NULL,
  progenitor_uuid TEXT,
  written_at      INTEGER NOT NULL,
  expires_at      INTEGER,
  UNIQUE (ns, queue, uuid)
);
CREATE INDEX IF NOT EXISTS alsek_results_by_progenitor
  ON alsek_results (ns, queue, progenitor_uuid, written_at);
CREATE INDEX IF NOT EXISTS alsek_results_by_expiry ON alsek_results (ns, expires_at);

CREATE TABLE IF NOT EXISTS alsek_kv (
  ns         TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  expires_at INTEGER,
  rank       INTEGER,
  PRIMARY KEY (ns, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alsek_kv_by_expiry ON alsek_kv (ns, expires_at);

CREATE TABLE IF NOT EXISTS alsek_events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  ns         TEXT NOT NULL,
  queue      TEXT NOT NULL,
  type       TEXT NOT NULL,
  uuid       TEXT NOT NULL,
  attempt    INTEGER NOT NULL,
  at         INTEGER NOT NULL,
  error_name TEXT,
  error_text TEXT,
  ready_at   INTEGER,
  progress   TEXT
);
CREATE INDEX IF NOT EXISTS alsek_events_by_queue ON alsek_events (ns, queue, id);

CREATE TABLE IF NOT EXISTS alsek_applied (
  ns         TEXT NOT NULL,
  token      TEXT NOT NULL,
  operation  TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (ns, token)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alsek_applied_by_expiry ON alsek_applied (ns, expires_at);

CREATE TABLE IF NOT EXISTS alsek_locks (
  ns         TEXT NOT NULL,
  name       TEXT NOT NULL,
  owner      TEXT NOT NULL,
  expires_at INTEGER,
  PRIMARY KEY (ns, name)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS alsek_schedules (
  ns         TEXT NOT NULL,
  queue      TEXT NOT NULL,
  name       TEXT NOT NULL,
  trigger    TEXT NOT NULL,
  definition TEXT NOT NULL,
  revision   TEXT NOT NULL,
  template   TEXT NOT NULL,
  next_at    INTEGER,
  paused     INTEGER NOT NULL DEFAULT 0,
  fires      INTEGER NOT NULL DEFAULT 0,
  last_fire  TEXT,
  PRIMARY KEY (ns, queue, name)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS alsek_pubsub (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  ns           TEXT NOT NULL,
  channel      TEXT NOT NULL,
  value        TEXT NOT NULL,
  published_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS alsek_pubsub_by_time ON alsek_pubsub (published_at);
`;
