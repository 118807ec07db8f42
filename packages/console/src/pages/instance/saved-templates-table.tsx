import { useState } from 'preact/hooks';
import type { SavedTemplate } from '@telenexus/api-contract';
import { NOTIFICATION_TYPES } from '@telenexus/core';
import { DateTime } from '../../components/date-time';
import { ConfirmDialog } from '../../components/dialog';
import { useConsole } from '../../console-context';
import { humanize } from '../../format/format';

export function scopeOf(template: SavedTemplate): string {
  return template.instance_id === null ? 'All instances' : 'This instance';
}

/** What a button or notice calls one text: `Invoice in sw, all instances`. */
export function describeTemplate(template: SavedTemplate): string {
  return `${humanize(template.message_type)} in ${template.language}, ${scopeOf(template).toLowerCase()}`;
}

/** The guide's order of types, then language, the account's text before the instance's own. */
function byTypeAndLanguage(a: SavedTemplate, b: SavedTemplate): number {
  return (
    NOTIFICATION_TYPES.indexOf(a.message_type) - NOTIFICATION_TYPES.indexOf(b.message_type) ||
    a.language.localeCompare(b.language) ||
    Number(a.instance_id !== null) - Number(b.instance_id !== null)
  );
}

export interface SavedTemplatesTableProps {
  /** The account's texts and this instance's own; other instances' texts are left out by the caller. */
  readonly templates: readonly SavedTemplate[];
  readonly onEdit: (template: SavedTemplate) => void;
  /** Deletes the text; the confirmation stays open with the problem in words if it throws. */
  readonly onDelete: (template: SavedTemplate) => Promise<void>;
}

/** The saved texts, each loadable into the form; admins may delete one, support only looks. */
export function SavedTemplatesTable({ templates, onEdit, onDelete }: SavedTemplatesTableProps) {
  const { readOnly } = useConsole();
  const [deleting, setDeleting] = useState<SavedTemplate | undefined>(undefined);

  if (templates.length === 0)
    return <p class="muted">No saved texts yet: every notification gets the built-in English text.</p>;

  return (
    <>
      <div class="table-wrap">
        <table class="table responsive-table" data-testid="saved-templates">
          <caption class="visually-hidden">Saved texts</caption>
          <thead>
            <tr>
              <th scope="col">Message type</th>
              <th scope="col">Language</th>
              <th scope="col">Scope</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...templates].sort(byTypeAndLanguage).map((template) => (
              <tr key={`${template.message_type}/${template.language}/${template.instance_id ?? 'account'}`}>
                <td data-label="Message type">{humanize(template.message_type)}</td>
                <td data-label="Language">
                  <code>{template.language}</code>
                </td>
                <td data-label="Scope">{scopeOf(template)}</td>
                <td data-label="Updated">
                  <DateTime value={template.updated_at} />
                </td>
                <td data-label="Actions" class="actions">
                  <button type="button" class="button button-small" onClick={() => onEdit(template)}>
                    {/* Support can load a text to preview it, not to change it. */}
                    {readOnly ? 'Open' : 'Edit'}
                    <span class="visually-hidden"> {describeTemplate(template)}</span>
                  </button>
                  {!readOnly && (
                    <button
                      type="button"
                      class="button button-small button-danger"
                      onClick={() => setDeleting(template)}
                    >
                      Delete<span class="visually-hidden"> {describeTemplate(template)}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!readOnly && (
        <ConfirmDialog
          open={deleting !== undefined}
          title="Delete this text?"
          confirmLabel="Delete text"
          danger
          onCancel={() => setDeleting(undefined)}
          onConfirm={async () => {
            if (deleting) await onDelete(deleting);
            setDeleting(undefined);
          }}
        >
          {deleting && (
            <p>
              {describeTemplate(deleting)}. Notifications it was chosen for get the next text in line from now
              on.
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
