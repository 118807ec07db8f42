/** The button under a paged list that appends the next page; disabled while that page loads. */
export function LoadMoreButton({ loading = false, onLoad }: { loading?: boolean; onLoad: () => void }) {
  return (
    <button type="button" class="button load-more" disabled={loading} onClick={onLoad}>
      {loading ? 'Loading…' : 'Load more'}
    </button>
  );
}
