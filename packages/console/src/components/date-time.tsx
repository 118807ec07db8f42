import { formatDateTime } from '../format/format';

export function DateTime({ value }: { value: string | null | undefined }) {
  if (!value) return <span aria-label="none">—</span>;
  return (
    <time dateTime={value} title={value}>
      {formatDateTime(value)}
    </time>
  );
}
