/**
 * The most standbys a warm process holds queued behind its running task. Short tasks queue as many
 * as fit the prefetch horizon at their measured run time, up to this: enough that one IPC write
 * refills many after the outcomes of a busy moment arrived together (each write wakes the child, and
 * the writes were the pool's largest cost: a 4-process no-op drain ran ~1.2× faster at 32 than at 8
 * or 16, and no faster at 64), few enough that a crash hands back at most a few tens to run
 * elsewhere, in order.
 */
export const MAX_STANDBYS = 32;
