import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { describeError } from '../api/api-error';
import { ErrorNotice } from './notice';

export interface DialogProps {
  readonly open: boolean;
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ComponentChildren;
  /** False: Escape does not close it (a secret shown once must be closed on purpose). */
  readonly dismissible?: boolean;
}

/**
 * A modal on the browser's own <dialog>: it traps focus, makes the page behind inert and focuses
 * the first control (or the one marked autofocus). When it closes, focus returns to what opened
 * it. Its content is rendered only while open, so every opening starts afresh.
 */
export function Dialog({ open, title, onClose, children, dismissible = true }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  const closed = (): void => {
    onClose();
    const target = opener.current;
    opener.current = null;
    // The opener may be gone (a revoked key's row changes): then the page heading takes focus.
    if (target?.isConnected) target.focus();
    else document.querySelector<HTMLElement>('main h1')?.focus();
  };

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      onClose={closed}
      onCancel={(event) => {
        if (!dismissible) event.preventDefault();
      }}
    >
      {open && (
        <>
          <h2 id={titleId} class="dialog-title">
            {title}
          </h2>
          {children}
        </>
      )}
    </dialog>
  );
}

export interface ConfirmDialogProps {
  readonly open: boolean;
  readonly title: string;
  readonly children: ComponentChildren;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  /** Does the work; the dialog stays open with the problem in words if it throws. */
  readonly onConfirm: () => Promise<void>;
  readonly onCancel: () => void;
}

/** "Are you sure?" for what cannot be undone; Cancel has the focus, so Enter never destroys. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger = false,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (open) setError(undefined);
  }, [open]);

  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title={title} onClose={onCancel}>
      <div class="dialog-body">{children}</div>
      <ErrorNotice message={error} />
      <div class="dialog-actions">
        <button type="button" class="button" autofocus onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          class={`button ${danger ? 'button-danger' : 'button-primary'}`}
          disabled={busy}
          onClick={() => void confirm()}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
