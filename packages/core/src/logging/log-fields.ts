/** Extra structured data attached to a record. Never put task arguments or passwords here. */
export type LogFields = Record<string, unknown>;

/** The fields that say which message a record is about: `queue`, `task` and `uuid`. */
export function messageLogFields(message: { queue: string; uuid: string; taskName?: string }): LogFields {
  return message.taskName === undefined
    ? { queue: message.queue, uuid: message.uuid }
    : { queue: message.queue, task: message.taskName, uuid: message.uuid };
}
