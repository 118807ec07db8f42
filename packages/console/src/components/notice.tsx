import type { ComponentChildren } from 'preact';

/** A problem in words, announced to screen readers as it appears. */
export function ErrorNotice({
  message,
  problems = [],
}: {
  message: string | undefined;
  problems?: readonly string[];
}) {
  if (!message) return null;
  return (
    <div class="notice notice-error" role="alert">
      <p>{message}</p>
      {problems.length > 0 && (
        <ul>
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function InfoNotice({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice notice-info" role="status">
      {children}
    </div>
  );
}

/** Shown while the first answer is on its way. */
export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}
