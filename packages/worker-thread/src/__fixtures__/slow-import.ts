// A task module that takes 2 s to import (a top-level await): a thread group's threads import it
// after the standby tasks, so a thread is still importing when its first task starts
// (thread-group-standby.test.ts, "ThreadGroup placement").
await new Promise((resolve) => setTimeout(resolve, 2_000));

export {};
