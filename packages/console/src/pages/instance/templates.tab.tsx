import { useState } from 'preact/hooks';
import type { TemplateSample } from '@telenexus/api-contract';
import { TextField } from '../../components/form-fields';
import { ErrorNotice, Loading } from '../../components/notice';
import { useConsole } from '../../console-context';
import { humanize } from '../../format/format';
import { useResource } from '../../hooks/use-resource';
import { OwnWording } from './own-wording';

type SampleText = Record<keyof TemplateSample, string>;

/** The integration guide's sample, what the API previews with when given nothing. */
const GUIDE_SAMPLE: SampleText = {
  customer_name: 'John Doe',
  amount: '1500',
  currency: 'KES',
  invoice_id: 'INV-001',
  due_date: '2026-02-15',
};

/**
 * The four built-in WhatsApp texts exactly as customers get them, rendered by Telenexus itself with
 * the guide's sample data or values typed here, and the account's own texts that take their place.
 */
export function TemplatesTab({ instanceId }: { instanceId: string }) {
  const { api } = useConsole();
  const [draft, setDraft] = useState<SampleText>(GUIDE_SAMPLE);
  const [sample, setSample] = useState<SampleText>(GUIDE_SAMPLE);
  const previews = useResource(() => api.previewTemplates(sample), [api, sample]);
  const set =
    (name: keyof SampleText) =>
    (value: string): void =>
      setDraft({ ...draft, [name]: value });

  return (
    <>
      <h2>Templates</h2>
      <p>
        The built-in English text of each <code>message_type</code>. Change the sample values to see a
        customer's text; nothing is sent.
      </p>
      <form
        class="filters"
        aria-label="Sample values"
        onSubmit={(event) => {
          event.preventDefault();
          setSample({ ...draft });
        }}
      >
        <TextField label="Customer name" value={draft.customer_name} onValue={set('customer_name')} />
        <TextField label="Amount" inputMode="decimal" value={draft.amount} onValue={set('amount')} />
        <TextField label="Currency" value={draft.currency} onValue={set('currency')} maxLength={3} />
        <TextField label="Invoice" value={draft.invoice_id} onValue={set('invoice_id')} />
        <TextField
          label="Due date"
          type="date"
          value={draft.due_date}
          onValue={set('due_date')}
          optional
          hint="Empty: the texts without their Due Date line."
        />
        <div class="filter-actions">
          <button type="submit" class="button button-primary">
            Preview
          </button>
          <button
            type="button"
            class="button"
            onClick={() => {
              setDraft(GUIDE_SAMPLE);
              setSample(GUIDE_SAMPLE);
            }}
          >
            Guide's sample
          </button>
        </div>
      </form>
      <ErrorNotice message={previews.error} />
      {previews.loading && !previews.data && <Loading what="the templates" />}
      {previews.data && (
        <div class="template-grid">
          {previews.data.data.map((preview) => (
            <article
              class="card"
              key={preview.message_type}
              aria-labelledby={`template-${preview.message_type}`}
            >
              <h3 id={`template-${preview.message_type}`}>
                {humanize(preview.message_type)} <code class="muted">{preview.message_type}</code>
              </h3>
              <pre class="message-text">{preview.text}</pre>
            </article>
          ))}
        </div>
      )}
      <OwnWording instanceId={instanceId} sample={sample} />
    </>
  );
}
