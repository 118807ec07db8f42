import type { ComponentChildren } from 'preact';
import { Dialog } from './dialog';
import { CopyableValue } from './copy-button';

export interface SecretOnceDialogProps {
  readonly title: string;
  /** What the secret is, e.g. "API key". */
  readonly label: string;
  readonly secret: string | undefined;
  readonly onClose: () => void;
  readonly children?: ComponentChildren;
}

/**
 * Shows a secret the API hands out once (a new API key, a webhook signing secret) with a copy
 * button and the guide's warning. Only this dialog ever holds it; closing it forgets it.
 */
export function SecretOnceDialog({ title, label, secret, onClose, children }: SecretOnceDialogProps) {
  return (
    <Dialog open={secret !== undefined} title={title} onClose={onClose} dismissible={false}>
      <p class="warning">
        <strong>Copy the {label} now. You won't see it again!</strong> Telenexus keeps only a fingerprint of
        it. Store it somewhere safe, such as a password manager or your billing system's settings.
      </p>
      {secret !== undefined && <CopyableValue id="secret-once" label={label} value={secret} />}
      {children}
      <div class="dialog-actions">
        <button type="button" class="button button-primary" onClick={onClose}>
          I have stored it, close
        </button>
      </div>
    </Dialog>
  );
}
