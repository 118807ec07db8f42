import { useEffect, useState } from 'preact/hooks';

/** How long "Copied" stays on the button. */
const FEEDBACK_MS = 2000;

type CopyState = 'idle' | 'copied' | 'failed';

async function writeClipboard(value: string): Promise<boolean> {
  try {
    // Only in secure contexts (https, localhost); elsewhere the value stays selectable.
    if (!navigator.clipboard) return false;
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies `value`, then says so on the button and to screen readers. `label` names what is copied
 * ("API Endpoint URL"), so the button reads "Copy API Endpoint URL".
 */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return undefined;
    const timer = setTimeout(() => setState('idle'), FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async (): Promise<void> => {
    setState((await writeClipboard(value)) ? 'copied' : 'failed');
  };

  return (
    <>
      <button type="button" class={`button button-small copy-button is-${state}`} onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : 'Copy'}
        <span class="visually-hidden"> {label}</span>
      </button>
      <span class="visually-hidden" role="status">
        {state === 'copied' ? `${label} copied to the clipboard.` : ''}
      </span>
      {state === 'failed' && (
        <span class="copy-failed" role="alert">
          Copying is not available here: select the text and copy it yourself.
        </span>
      )}
    </>
  );
}

/** A value to hand over (an endpoint, an id, a key): selectable text with its own copy button. */
export function CopyableValue({
  label,
  value,
  multiline = false,
  id,
}: {
  label: string;
  value: string;
  multiline?: boolean;
  id: string;
}) {
  return (
    <div class="copyable">
      <div class="copyable-head">
        <span class="copyable-label" id={`${id}-label`}>
          {label}
        </span>
        <CopyButton value={value} label={label} />
      </div>
      {multiline ? (
        <pre class="copyable-value" id={id} aria-labelledby={`${id}-label`} tabIndex={0}>
          {value}
        </pre>
      ) : (
        <code class="copyable-value" id={id} aria-labelledby={`${id}-label`}>
          {value}
        </code>
      )}
    </div>
  );
}
