import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../api/api-error';
import { useResource, type Resource } from './use-resource';

/** One page of a cursor-paged list, as the API answers it. */
export interface CursorPage<Item> {
  readonly data: readonly Item[];
  readonly next_cursor: string | null;
}

/** A cursor-paged list: its first page, and the pages the user asked for after it. */
export interface CursorPages<Item> {
  /** The first page; reloading it starts the list again. */
  readonly first: Resource<CursorPage<Item>>;
  /** Every item loaded so far, in the API's order. */
  readonly items: readonly Item[];
  /** Where the next page starts; null once the last page is loaded. */
  readonly cursor: string | null;
  readonly loadingMore: boolean;
  /** What went wrong loading a page after the first. */
  readonly moreError: string | undefined;
  readonly loadMore: () => Promise<void>;
}

/**
 * Loads the first page with `load(null)` whenever `dependencies` change, and each further page with
 * the cursor the page before it answered with.
 */
export function useCursorPages<Item>(
  load: (cursor: string | null) => Promise<CursorPage<Item>>,
  dependencies: readonly unknown[],
): CursorPages<Item> {
  const first = useResource(() => load(null), dependencies);
  /** Pages loaded after the first, with the cursor after the last of them. */
  const [more, setMore] = useState<{ items: readonly Item[]; cursor: string | null } | undefined>(undefined);
  const [moreError, setMoreError] = useState<string | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);

  // A new first page (another filter, a refresh) starts the list again.
  useEffect(() => {
    setMore(undefined);
    setMoreError(undefined);
  }, [first.data]);

  const items = [...(first.data?.data ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.cursor : (first.data?.next_cursor ?? null);

  const loadMore = async (): Promise<void> => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await load(cursor);
      setMore({ items: [...(more?.items ?? []), ...page.data], cursor: page.next_cursor });
    } catch (caught) {
      setMoreError(describeError(caught));
    } finally {
      setLoadingMore(false);
    }
  };

  return { first, items, cursor, loadingMore, moreError, loadMore };
}
