import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';

interface FieldFrameProps {
  readonly id: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly optional?: boolean;
  readonly children: ComponentChildren;
}

function FieldFrame({ id, label, hint, optional = false, children }: FieldFrameProps) {
  return (
    <div class="field">
      <label for={id}>
        {label}
        {optional && <span class="optional"> (optional)</span>}
      </label>
      {children}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

export interface TextFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly hint?: string;
  readonly type?:
    'text' | 'url' | 'password' | 'number' | 'date' | 'time' | 'datetime-local' | 'search' | 'tel';
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly placeholder?: string;
  readonly autoComplete?: string;
  readonly inputMode?: 'text' | 'numeric' | 'decimal' | 'tel' | 'url';
  readonly maxLength?: number;
  readonly min?: number;
  readonly spellcheck?: boolean;
  readonly autofocus?: boolean;
}

/** A labelled input; its hint is read with it. */
export function TextField({ label, value, onValue, hint, optional, ...input }: TextFieldProps) {
  const id = useId();
  // Preact types each input `type` with its own attributes; these are common to every type used here.
  const attributes = {
    ...input,
    type: input.type ?? 'text',
    id,
    value,
    onInput: (event: Event) => onValue((event.currentTarget as HTMLInputElement).value),
    'aria-describedby': hint ? `${id}-hint` : undefined,
  } as InputHTMLAttributes<HTMLInputElement>;
  return (
    <FieldFrame id={id} label={label} hint={hint} optional={optional}>
      <input {...attributes} />
    </FieldFrame>
  );
}

export interface TextAreaFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly hint?: string;
  readonly optional?: boolean;
  readonly rows?: number;
  readonly maxLength?: number;
}

/** A labelled multi-line input, for texts whose line breaks matter. */
export function TextAreaField({
  label,
  value,
  onValue,
  hint,
  optional,
  rows = 6,
  maxLength,
}: TextAreaFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} optional={optional}>
      <textarea
        id={id}
        rows={rows}
        maxLength={maxLength}
        value={value}
        spellcheck={false}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
    </FieldFrame>
  );
}

export interface SelectFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly hint?: string;
}

export function SelectField({ label, value, onValue, options, hint }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint}>
      <select
        id={id}
        value={value}
        onChange={(event) => onValue(event.currentTarget.value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export interface CheckboxFieldProps {
  readonly label: string;
  readonly checked: boolean;
  readonly onChecked: (checked: boolean) => void;
  readonly hint?: string;
}

export function CheckboxField({ label, checked, onChecked, hint }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div class="checkbox-field">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChecked(event.currentTarget.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div>
        <label for={id}>{label}</label>
        {hint && (
          <p class="hint" id={`${id}-hint`}>
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

export interface CheckboxGroupProps<Option extends string> {
  readonly legend: string;
  readonly options: readonly Option[];
  readonly selected: ReadonlySet<Option>;
  readonly onSelected: (selected: ReadonlySet<Option>) => void;
  readonly hints?: Readonly<Record<Option, string>>;
}

/** A labelled set of checkboxes choosing some of `options` (permissions, event types). */
export function CheckboxGroup<Option extends string>({
  legend,
  options,
  selected,
  onSelected,
  hints,
}: CheckboxGroupProps<Option>) {
  const toggle = (option: Option, on: boolean): void => {
    const next = new Set(selected);
    if (on) next.add(option);
    else next.delete(option);
    onSelected(next);
  };
  return (
    <fieldset class="fieldset">
      <legend>{legend}</legend>
      {options.map((option) => (
        <CheckboxField
          key={option}
          label={option}
          checked={selected.has(option)}
          onChecked={(on) => toggle(option, on)}
          {...(hints ? { hint: hints[option] } : {})}
        />
      ))}
    </fieldset>
  );
}

export interface FormActionsProps {
  readonly submitLabel: string;
  /** Shown on the submit button while the form is being sent. */
  readonly busyLabel: string;
  readonly busy: boolean;
  readonly onCancel: () => void;
}

/** A form's Cancel and submit buttons; submit is disabled while the form is being sent. */
export function FormActions({ submitLabel, busyLabel, busy, onCancel }: FormActionsProps) {
  return (
    <div class="dialog-actions">
      <button type="button" class="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" class="button button-primary" disabled={busy}>
        {busy ? busyLabel : submitLabel}
      </button>
    </div>
  );
}
