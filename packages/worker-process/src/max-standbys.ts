/**
 * The most standbys a warm process holds queued behind its running task. Short tasks queue as many
 * as fit the prefetch horizon at their measured run time, up to this: enough that one IPC write
 * refills several after the outcomes of a busy moment arrived together, few enough that a crash
 * hands back only a handful to run elsewhere.
 */
export const MAX_STANDBYS = 8;
