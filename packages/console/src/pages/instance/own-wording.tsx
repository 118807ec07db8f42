import { useState } from 'preact/hooks';
import type { AccountWording, SavedTemplate, TemplateSample } from '@telenexus/api-contract';
import { ErrorNotice, InfoNotice, Loading } from '../../components/notice';
import { useConsole } from '../../console-context';
import { useResource } from '../../hooks/use-resource';
import { AccountFieldsForm, AccountFieldsList } from './account-fields-form';
import { OwnTemplateForm } from './own-template-preview';
import { describeTemplate, SavedTemplatesTable } from './saved-templates-table';

const NO_FIELDS = { company_name: '', payment_instructions: '' } as const;

function sameText(a: SavedTemplate, b: SavedTemplate): boolean {
  return a.message_type === b.message_type && a.language === b.language && a.instance_id === b.instance_id;
}

/** The wording with a saved text in place of the one it replaced, or added. */
function withSaved(wording: AccountWording, saved: SavedTemplate): AccountWording {
  return { ...wording, data: [...wording.data.filter((template) => !sameText(template, saved)), saved] };
}

function withoutText(wording: AccountWording, deleted: SavedTemplate): AccountWording {
  return { ...wording, data: wording.data.filter((template) => !sameText(template, deleted)) };
}

/** A saved text loaded into the form; `times` remounts the form even when the same row is loaded again. */
interface Loaded {
  readonly template: SavedTemplate;
  readonly times: number;
}

/**
 * The account's own texts: what is saved, the fields they name, and a form to write, preview and
 * save one. Answers of saves replace what is shown, so the table is current once a save says so.
 */
export function OwnWording({
  instanceId,
  sample,
}: {
  instanceId: string;
  sample: Record<keyof TemplateSample, string>;
}) {
  const { api, readOnly } = useConsole();
  const wording = useResource(() => api.getAccountWording(), [api]);
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const [deleted, setDeleted] = useState<string | undefined>(undefined);
  // Other instances' own texts are theirs to manage; this instance shows the account's and its own.
  const templates =
    wording.data?.data.filter(
      (template) => template.instance_id === null || template.instance_id === instanceId,
    ) ?? [];

  const remove = async (template: SavedTemplate): Promise<void> => {
    await api.deleteTemplate({
      messageType: template.message_type,
      language: template.language,
      instanceId: template.instance_id,
    });
    if (wording.data) wording.replace(withoutText(wording.data, template));
    setDeleted(`Deleted: ${describeTemplate(template)}.`);
  };

  return (
    <section aria-labelledby="own-template">
      <h3 id="own-template">Your own wording</h3>
      <p>
        A notification gets your text in its <code>language</code>, else in the instance's default language
        (set on Overview), this instance's own before the one for all instances; with no such text, the
        built-in English one above.
      </p>
      <ErrorNotice message={wording.error} />
      {wording.loading && !wording.data && <Loading what="your saved texts" />}
      {deleted && <InfoNotice>{deleted}</InfoNotice>}
      {wording.data && (
        <>
          <SavedTemplatesTable
            templates={templates}
            onEdit={(template) => {
              setDeleted(undefined);
              setLoaded({ template, times: (loaded?.times ?? 0) + 1 });
            }}
            onDelete={remove}
          />
          <h4>Company name and payment instructions</h4>
          {readOnly ? (
            <AccountFieldsList saved={wording.data} />
          ) : (
            <AccountFieldsForm saved={wording.data} onSaved={wording.replace} />
          )}
        </>
      )}
      <h4>Write a text</h4>
      <p>
        Placeholders: <code>{'{{customer_name}}'}</code>, <code>{'{{amount}}'}</code>,{' '}
        <code>{'{{invoice_id}}'}</code>, <code>{'{{due_date}}'}</code>, <code>{'{{company_name}}'}</code>,{' '}
        <code>{'{{payment_instructions}}'}</code>, and <code>{'{{#due_date}}…{{/due_date}}'}</code> for what
        is said only when there is a due date. Preview uses the sample values above and the saved account
        fields; nothing is sent.
      </p>
      <OwnTemplateForm
        key={loaded?.times ?? 0}
        instanceId={instanceId}
        sample={sample}
        accountFields={wording.data ?? NO_FIELDS}
        loaded={loaded?.template}
        onSaved={(saved) => {
          setDeleted(undefined);
          if (wording.data) wording.replace(withSaved(wording.data, saved));
        }}
      />
    </section>
  );
}
