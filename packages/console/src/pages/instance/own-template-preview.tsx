import { useEffect, useRef, useState } from 'preact/hooks';
import type {
  AccountWording,
  SavedTemplate,
  TemplateDraftPreview,
  TemplateSample,
} from '@telenexus/api-contract';
import { NOTIFICATION_TYPES, type NotificationType } from '@telenexus/core';
import { ApiError, describeError } from '../../api/api-error';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/form-fields';
import { ErrorNotice, InfoNotice } from '../../components/notice';
import { useConsole } from '../../console-context';
import { humanize } from '../../format/format';
import { describeTemplate } from './saved-templates-table';

const STARTER =
  'Habari {{customer_name}},\n\nAnkara yako ya {{company_name}} ya {{amount}} iko tayari.\n' +
  'Ankara: #{{invoice_id}}\n{{#due_date}}Tarehe ya mwisho: {{due_date}}\n{{/due_date}}\n{{payment_instructions}}';

const TYPE_OPTIONS = NOTIFICATION_TYPES.map((type) => ({ value: type, label: humanize(type) }));

function asError(caught: unknown): ApiError {
  return caught instanceof ApiError ? caught : new ApiError(describeError(caught), 0);
}

/** The draft rendered with and without a due date, as a notification of each kind would read. */
function DraftPreview({ preview }: { preview: TemplateDraftPreview }) {
  return (
    <div class="template-grid">
      <article class="card" aria-labelledby="own-with-date">
        <h3 id="own-with-date">With a due date</h3>
        <pre class="message-text" id="own-template-text">
          {preview.text}
        </pre>
      </article>
      <article class="card" aria-labelledby="own-without-date">
        <h3 id="own-without-date">Without one</h3>
        <pre class="message-text" id="own-template-text-without-date">
          {preview.text_without_due_date}
        </pre>
      </article>
    </div>
  );
}

export interface OwnTemplateFormProps {
  readonly instanceId: string;
  readonly sample: Record<keyof TemplateSample, string>;
  /** The saved account fields: a preview shows what customers would get now. */
  readonly accountFields: Pick<AccountWording, 'company_name' | 'payment_instructions'>;
  /** A saved text loaded with its Edit button; the form takes the focus so the reader lands on it. */
  readonly loaded?: SavedTemplate | undefined;
  readonly onSaved: (template: SavedTemplate) => void;
}

/**
 * One text of your own: checked and rendered by Telenexus with the sample values, and for admins
 * saved for a message type and language, for the account or this instance only.
 */
export function OwnTemplateForm({
  instanceId,
  sample,
  accountFields,
  loaded,
  onSaved,
}: OwnTemplateFormProps) {
  const { api, readOnly } = useConsole();
  const [messageType, setMessageType] = useState<NotificationType>(loaded?.message_type ?? 'invoice');
  const [language, setLanguage] = useState(loaded?.language ?? 'sw-KE');
  const [thisInstanceOnly, setThisInstanceOnly] = useState(loaded ? loaded.instance_id !== null : false);
  const [text, setText] = useState(loaded?.text ?? STARTER);
  const [preview, setPreview] = useState<TemplateDraftPreview | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  // On mount only: each Edit remounts the form (its key), so this runs once per loaded text.
  useEffect(() => {
    if (loaded) form.current?.querySelector('textarea')?.focus();
  }, []);

  const render = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    setNotice(undefined);
    try {
      setPreview(
        await api.previewAccountTemplate({
          text,
          language,
          company_name: accountFields.company_name,
          payment_instructions: accountFields.payment_instructions,
          sample: { ...sample, amount: Number(sample.amount) },
        }),
      );
    } catch (caught) {
      setPreview(undefined);
      setError(asError(caught));
    }
  };

  const save = async (): Promise<void> => {
    setError(undefined);
    setNotice(undefined);
    // An empty language would leave the path without its last segment, which no route answers.
    if (!language.trim()) {
      setError(new ApiError('Give the language of the text, for example sw.', 400));
      return;
    }
    setSaving(true);
    try {
      const saved = await api.saveTemplate(
        { messageType, language: language.trim(), instanceId: thisInstanceOnly ? instanceId : null },
        text,
      );
      // Telenexus stores the tag in its canonical form (SW-ke → sw-KE); show what it kept.
      setLanguage(saved.language);
      setNotice(`Saved: ${describeTemplate(saved)}.`);
      onSaved(saved);
    } catch (caught) {
      setError(asError(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <form ref={form} aria-label="Your own wording" onSubmit={(event) => void render(event)} noValidate>
        {!readOnly && (
          <SelectField
            label="Message type"
            value={messageType}
            onValue={(value) => setMessageType(value as NotificationType)}
            options={TYPE_OPTIONS}
          />
        )}
        <TextField
          label="Language"
          value={language}
          onValue={setLanguage}
          hint="A BCP 47 tag: sw, sw-KE, fr."
        />
        {!readOnly && (
          <CheckboxField
            label="Only for this instance"
            checked={thisInstanceOnly}
            onChecked={setThisInstanceOnly}
            hint="Used for this instance instead of the text for all instances."
          />
        )}
        <TextAreaField label="Template" value={text} onValue={setText} rows={9} maxLength={8192} />
        <div class="filter-actions">
          {/* Enter previews; saving is always a deliberate click. */}
          <button type="submit" class="button button-primary">
            Preview
          </button>
          {!readOnly && (
            <button type="button" class="button" disabled={saving} onClick={() => void save()}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          )}
        </div>
      </form>
      <ErrorNotice message={error?.message} problems={error?.fieldProblems} />
      {notice && <InfoNotice>{notice}</InfoNotice>}
      {preview && <DraftPreview preview={preview} />}
    </>
  );
}
