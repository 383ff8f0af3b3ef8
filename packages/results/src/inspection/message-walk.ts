// Walking a state's index page by page: a filtered listing stops within a bounded scan and
// hands back the cursor of the last entry it looked at; bulk actions walk a state to its end.
import type { Backend, ListedMessage, ListingOrder, MessageState } from "@alsek/core";
import { TASK_FILTER_SCAN_BUDGET, type MessageListing } from "./inspection-types.js";
import { summarize } from "./message-summary.js";

/** Entries per backend call when an action walks a whole state (bulk redrive, purge). */
export const WALK_BATCH = 500;

/**
 * One page of the entries `keep` accepts, looking at no more than {@link TASK_FILTER_SCAN_BUDGET}
 * entries: short (even empty) when matches are sparse, with the cursor of the last entry seen.
 */
export async function filteredPage(
  backend: Backend,
  queue: string,
  request: { state: MessageState; order: ListingOrder; cursor: string | null; limit: number },
  keep: (listed: ListedMessage) => boolean,
): Promise<MessageListing> {
  const items: ListedMessage[] = [];
  let cursor = request.cursor;
  let scanned = 0;
  while (items.length < request.limit && scanned < TASK_FILTER_SCAN_BUDGET) {
    const page = await backend.listMessages(queue, {
      ...request,
      cursor,
      limit: Math.min(TASK_FILTER_SCAN_BUDGET - scanned, Math.max(request.limit, 100)),
    });
    for (const listed of page.items) {
      scanned += 1;
      cursor = listed.cursor;
      if (keep(listed)) {
        items.push(listed);
        if (items.length === request.limit) break;
      }
    }
    if (items.length === request.limit) break;
    if (page.nextCursor === null) return { items: items.map(summarize), nextCursor: null };
    cursor = page.nextCursor;
  }
  return { items: items.map(summarize), nextCursor: cursor };
}

/** Batches of `queue`'s messages in `state` that `keep` accepts, walking at most `bound` entries. */
export async function* walkState(
  backend: Backend,
  queue: string,
  state: MessageState,
  keep: (listed: ListedMessage) => boolean,
  bound: number,
): AsyncGenerator<ListedMessage[]> {
  let cursor: string | null = null;
  let walked = 0;
  do {
    const page = await backend.listMessages(queue, { state, order: "oldest", cursor, limit: WALK_BATCH });
    walked += page.items.length;
    const batch = page.items.filter(keep);
    if (batch.length > 0) yield batch;
    cursor = page.nextCursor;
  } while (cursor !== null && walked < bound);
}
