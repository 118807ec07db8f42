import { connectionLabel, humanize, statusTone, type Tone } from '../format/format';

/** A label in words with a coloured pill; the colour only repeats what the words say. */
export function Badge({ tone, children }: { tone: Tone; children: string }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone(status)}>{humanize(status)}</Badge>;
}

export function ConnectionBadge({ state }: { state: string }) {
  const { label, tone } = connectionLabel(state);
  return <Badge tone={tone}>{label}</Badge>;
}
