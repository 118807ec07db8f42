import { useState } from 'preact/hooks';
import type { AccountWording } from '@telenexus/api-contract';
import { ApiError, describeError } from '../../api/api-error';
import { TextAreaField, TextField } from '../../components/form-fields';
import { ErrorNotice, InfoNotice } from '../../components/notice';
import { useConsole } from '../../console-context';

type AccountFields = Pick<AccountWording, 'company_name' | 'payment_instructions'>;

/** What every saved text says for `{{company_name}}` and `{{payment_instructions}}`, for admins to change. */
export function AccountFieldsForm({
  saved,
  onSaved,
}: {
  saved: AccountFields;
  onSaved: (wording: AccountWording) => void;
}) {
  const { api } = useConsole();
  const [companyName, setCompanyName] = useState(saved.company_name);
  const [paymentInstructions, setPaymentInstructions] = useState(saved.payment_instructions);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    setNotice(undefined);
    setBusy(true);
    try {
      onSaved(
        await api.updateAccountWordingFields({
          company_name: companyName,
          payment_instructions: paymentInstructions,
        }),
      );
      setNotice('Account fields saved. Every saved text uses them from now on.');
    } catch (caught) {
      // A 400 names the field a saved text could not be sent with.
      setError(caught instanceof ApiError ? caught : new ApiError(describeError(caught), 0));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form aria-label="Account fields" onSubmit={(event) => void submit(event)} noValidate>
      <TextField label="Company name" value={companyName} onValue={setCompanyName} optional maxLength={100} />
      <TextAreaField
        label="Payment instructions"
        value={paymentInstructions}
        onValue={setPaymentInstructions}
        optional
        rows={2}
        maxLength={500}
      />
      <ErrorNotice message={error?.message} problems={error?.fieldProblems} />
      {notice && <InfoNotice>{notice}</InfoNotice>}
      <div class="filter-actions">
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Saving…' : 'Save account fields'}
        </button>
      </div>
    </form>
  );
}

/** The same fields for support staff, who see them and change nothing. */
export function AccountFieldsList({ saved }: { saved: AccountFields }) {
  return (
    <dl class="details">
      <dt>Company name</dt>
      <dd>{saved.company_name || <span class="muted">Not set</span>}</dd>
      <dt>Payment instructions</dt>
      <dd>{saved.payment_instructions || <span class="muted">Not set</span>}</dd>
    </dl>
  );
}
