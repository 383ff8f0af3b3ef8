// Spawns the real binary; these cases need no Redis (their fixtures use MemoryBackend or fail
// before any backend is touched).
import { beforeAll, describe, expect, it } from "vitest";
import { requireBuiltBinary, runAlsek } from "./__fixtures__/spawn-alsek.js";

beforeAll(() => requireBuiltBinary());

describe("alsek --help and --version", () => {
  it("lists every option of every command with its default in the top-level help", async () => {
    const { code, stdout } = await runAlsek(["--help"]);
    expect(code).toBe(0);
    for (const command of ["thread-pool", "process-pool", "info"]) expect(stdout).toContain(`alsek ${command}`);
    for (const option of [
      "--n_threads",
      "--n_processes",
      "--n_process_floor",
      "--complete_only_on_thread_exit",
      "--queues, -qu",
      "--slot_wait_interval",
      "--prefetch",
      "--in_process",
      "--in_loop",
      "--concurrency",
      "--abort_grace",
      "--prune_interval",
      "--max_idle_wait",
      "--stop_grace",
      "--consumer_backoff_ceiling",
      "--log-level",
      "--json",
    ]) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toContain("[default: 8]");
    expect(stdout).toMatch(/--slot_wait_interval\s+\[default: 50\]/);
    expect(stdout).toMatch(/--slot_wait_interval\s+\[default: 100\]/);
    expect(stdout).toMatch(/--prune_interval\s+\[default: 100\]/);
  });

  it("describes a command's options in both spellings in its own help", async () => {
    const { code, stdout } = await runAlsek(["thread-pool", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--n_threads, --n-threads");
    expect(stdout).toContain("--complete_only_on_thread_exit");
    expect(stdout).toContain("-q, --queues");
  });

  it("prints the package version", async () => {
    const { code, stdout } = await runAlsek(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("alsek exits non-zero with a message", () => {
  it("when the target does not exist", async () => {
    const { code, stderr } = await runAlsek(["thread-pool", "no_such_module"]);
    expect(code).toBe(1);
    expect(stderr).toContain("TargetNotFoundError: Target 'no_such_module' not found");
  });

  it("when a module throws on import, showing its error", async () => {
    const { code, stderr } = await runAlsek(["process-pool", "errors/throws_on_import.ts"]);
    expect(code).toBe(1);
    expect(stderr).toContain("TaskModuleImportError");
    expect(stderr).toContain("boom: this task module cannot be configured");
    expect(stderr).toContain("throws_on_import.ts:2");
  });

  it("when the target exports no tasks", async () => {
    const { code, stderr } = await runAlsek(["thread-pool", "errors/no_tasks"]);
    expect(code).toBe(1);
    expect(stderr).toContain("NoTasksFoundError: No tasks found");
  });

  it("when no task has the pool's mechanism (a JavaScript module found by dotted path)", async () => {
    const { code, stderr } = await runAlsek(["thread-pool", "errors.process_tasks"]);
    expect(code).toBe(1);
    expect(stderr).toContain("NoTasksFoundError: No tasks with mechanism 'thread' found");
    expect(stderr).toContain("'crunch'");
  });

  it("when the tasks are bound to different brokers", async () => {
    const { code, stderr } = await runAlsek(["thread-pool", "errors/two_brokers"]);
    expect(code).toBe(1);
    expect(stderr).toContain("MultipleBrokersError");
    expect(stderr).toContain("'first'");
    expect(stderr).toContain("'second'");
  });

  it("when two modules of a folder define tasks with the same name", async () => {
    const { code, stderr } = await runAlsek(["thread-pool", "errors/collision"]);
    expect(code).toBe(1);
    expect(stderr).toContain("TaskNameCollisionError: Two different tasks are named 'send'");
    expect(stderr).toContain("billing.ts");
    expect(stderr).toContain("mailing.ts");
  });

  it("when an option is unknown or has a bad value", async () => {
    const unknown = await runAlsek(["thread-pool", "errors/no_tasks", "--n_thread", "3"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Unknown argument");
    const bad = await runAlsek(["thread-pool", "errors/no_tasks", "--n_threads", "0"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--n_threads must be an integer >= 1");
    const prefetch = await runAlsek(["process-pool", "errors/no_tasks", "--prefetch", "-2"]);
    expect(prefetch.code).toBe(1);
    expect(prefetch.stderr).toContain("--prefetch must be an integer >= 0, got -2.");
    const level = await runAlsek(["thread-pool", "errors/no_tasks", "--log-level", "loud"]);
    expect(level.code).toBe(1);
    expect(level.stderr).toContain("Unknown log level 'loud'");
  });

  it("when no command is given", async () => {
    const { code, stderr } = await runAlsek([]);
    expect(code).toBe(1);
    expect(stderr).toContain("Name a command");
  });
});
