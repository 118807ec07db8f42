import { useState } from 'preact/hooks';
import type { TemplateDraftPreview, TemplateSample } from '@telenexus/api-contract';
import { ApiError, describeError } from '../../api/api-error';
import { TextAreaField, TextField } from '../../components/form-fields';
import { ErrorNotice } from '../../components/notice';
import { useConsole } from '../../console-context';

const STARTER =
  'Habari {{customer_name}},\n\nAnkara yako ya {{company_name}} ya {{amount}} iko tayari.\n' +
  'Ankara: #{{invoice_id}}\n{{#due_date}}Tarehe ya mwisho: {{due_date}}\n{{/due_date}}\n{{payment_instructions}}';

/**
 * Your own wording of a notification, in any language, checked and rendered by Telenexus with the
 * sample values above, with and without a due date. Nothing is saved or sent.
 */
export function OwnTemplatePreview({ sample }: { sample: Record<keyof TemplateSample, string> }) {
  const { api } = useConsole();
  const [text, setText] = useState(STARTER);
  const [language, setLanguage] = useState('sw-KE');
  const [companyName, setCompanyName] = useState('');
  const [paymentInstructions, setPaymentInstructions] = useState('');
  const [preview, setPreview] = useState<TemplateDraftPreview | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);

  const render = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    try {
      setPreview(
        await api.previewAccountTemplate({
          text,
          language,
          company_name: companyName,
          payment_instructions: paymentInstructions,
          sample: { ...sample, amount: Number(sample.amount) },
        }),
      );
    } catch (caught) {
      setPreview(undefined);
      setError(caught instanceof ApiError ? caught : new ApiError(describeError(caught), 0));
    }
  };

  return (
    <section aria-labelledby="own-template">
      <h3 id="own-template">Your own wording</h3>
      <p>
        Write a notification as your customers should read it, in their language: placeholders{' '}
        <code>{'{{customer_name}}'}</code>, <code>{'{{amount}}'}</code>, <code>{'{{invoice_id}}'}</code>,{' '}
        <code>{'{{due_date}}'}</code>, <code>{'{{company_name}}'}</code>,{' '}
        <code>{'{{payment_instructions}}'}</code>, and <code>{'{{#due_date}}…{{/due_date}}'}</code> for what
        is said only when there is a due date. Nothing is saved or sent.
      </p>
      <form aria-label="Your own wording" onSubmit={(event) => void render(event)} noValidate>
        <TextField
          label="Language"
          value={language}
          onValue={setLanguage}
          hint="A BCP 47 tag: sw-KE, fr, en."
        />
        <TextField
          label="Company name"
          value={companyName}
          onValue={setCompanyName}
          optional
          maxLength={100}
        />
        <TextAreaField
          label="Payment instructions"
          value={paymentInstructions}
          onValue={setPaymentInstructions}
          optional
          rows={2}
          maxLength={500}
        />
        <TextAreaField label="Template" value={text} onValue={setText} rows={9} maxLength={8192} />
        <div class="filter-actions">
          <button type="submit" class="button button-primary">
            Preview my wording
          </button>
        </div>
      </form>
      <ErrorNotice message={error?.message} problems={error?.fieldProblems} />
      {preview && (
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
      )}
    </section>
  );
}
