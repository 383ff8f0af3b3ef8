/** The pub/sub channel on which backends announce stored results of a message family. */
export function resultChannel(rootUuid: string): string {
  return `results:${rootUuid}`;
}
