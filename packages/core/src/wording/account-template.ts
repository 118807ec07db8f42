import Mustache from 'mustache';
import { isSafeMessageText } from './safe-text';
import { characterCount, MAX_TEXT_MESSAGE_CHARACTERS } from '../messages/text-message';

/*
 * An account's own wording of a notification (its company name, the paybill its customers pay to,
 * its customers' language): logic-less Mustache templates, rendered with HTML escaping off (a
 * WhatsApp text is not HTML), with amounts and dates written for the template's language by `Intl`.
 */

/** What a template may say; anything else is refused when it is saved. */
export const TEMPLATE_PLACEHOLDERS = [
  'customer_name',
  'amount',
  'invoice_id',
  'due_date',
  'company_name',
  'payment_instructions',
] as const;

export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/**
 * The one condition a template may hold: whether there is a due date (the guide's Due Date line is
 * there only when there is one), as `{{#due_date}}…{{/due_date}}` or its inverse `{{^due_date}}`.
 */
const CONDITIONS: readonly TemplatePlaceholder[] = ['due_date'];

/** One notification's values, as stored: the amount as decimal text, the due date as `YYYY-MM-DD`. */
export interface TemplateValues {
  readonly customerName: string;
  readonly amount: string | number;
  readonly currency: string;
  readonly invoiceId: string;
  readonly dueDate: string | null;
  /** The account's own fields; empty when the account has not set them. */
  readonly companyName: string;
  readonly paymentInstructions: string;
}

type Token = [type: string, value: string, start: number, end: number, children?: unknown];

function tokensOf(template: string): Token[] {
  return Mustache.parse(template) as Token[];
}

/** Every tag of the template, in order, however deep in a condition. */
function tags(tokens: readonly Token[]): Token[] {
  return tokens.flatMap((token) => {
    if (token[0] === 'text') return [];
    // Only a section's token holds its inner tokens (a partial's holds its indentation there).
    const inner = token[0] === '#' || token[0] === '^' ? token[4] : undefined;
    return [token, ...(Array.isArray(inner) ? tags(inner) : [])];
  });
}

/** Why a template cannot be saved, or undefined: its syntax, each tag, then what it renders. */
export function templateProblem(
  template: string,
  sample: TemplateValues,
  language: string,
): string | undefined {
  let tokens: Token[];
  try {
    tokens = tokensOf(template);
  } catch (error) {
    return `is not a valid template: ${error instanceof Error ? error.message : String(error)}`;
  }
  for (const [type, name] of tags(tokens)) {
    if (type === '!') continue; // a comment
    if (type === '>' || type === '=') return `must not use {{${type}…}} (partials and new delimiters)`;
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name))
      return `uses {{${name}}}, which is not a placeholder; use ${TEMPLATE_PLACEHOLDERS.map((known) => `{{${known}}}`).join(', ')}`;
    if ((type === '#' || type === '^') && !CONDITIONS.includes(name as TemplatePlaceholder))
      return `may only be conditional on ${CONDITIONS.map((condition) => `{{#${condition}}}`).join(', ')}, not {{${type}${name}}}`;
  }
  for (const values of [sample, { ...sample, dueDate: null }]) {
    const text = renderTemplate(template, values, language);
    if (text.trim() === '') return 'renders an empty text';
    const length = characterCount(text);
    if (length > MAX_TEXT_MESSAGE_CHARACTERS)
      return `renders ${length} characters, more than the ${MAX_TEXT_MESSAGE_CHARACTERS} a message may have`;
    if (!isSafeMessageText(text))
      return 'must not contain control characters other than line breaks and tabs, nor direction overrides';
  }
  return undefined;
}

/** The template's text for one notification, its amount and due date written for `language`. */
export function renderTemplate(template: string, values: TemplateValues, language: string): string {
  const view: Record<TemplatePlaceholder, string> = {
    customer_name: values.customerName,
    amount: formatAmountFor(language, values.amount, values.currency),
    invoice_id: values.invoiceId,
    due_date: values.dueDate === null ? '' : formatDateFor(language, values.dueDate),
    company_name: values.companyName,
    payment_instructions: values.paymentInstructions,
  };
  // Mustache keeps parsed templates in a cache of its own; escaping off: WhatsApp texts are not HTML.
  return Mustache.render(template, view, undefined, { escape: (value: string) => value });
}

/**
 * Building an `Intl` formatter costs far more than formatting with one, and a run renders thousands
 * of texts in a handful of languages and currencies: each is built once. Bounded: it starts over
 * past FORMATTERS_KEPT.
 */
const FORMATTERS_KEPT = 1_000;
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function formatter<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, build: () => T): T {
  let found = formatters.get(key) as T | undefined;
  if (!found) {
    found = build();
    if (formatters.size >= FORMATTERS_KEPT) formatters.clear();
    formatters.set(key, found);
  }
  return found;
}

/** An amount as the language writes it, with the currency's ISO code (`KES 1,500.00`). */
export function formatAmountFor(language: string, amount: string | number, currency: string): string {
  return formatter(
    `amount|${language}|${currency}`,
    () => new Intl.NumberFormat(language, { style: 'currency', currency, currencyDisplay: 'code' }),
  ).format(Number(amount));
}

/** A calendar date (`YYYY-MM-DD`) as the language writes it in full (`15 Februari 2026`). */
export function formatDateFor(language: string, date: string): string {
  return formatter(
    `date|${language}`,
    () => new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }),
  ).format(new Date(`${date}T00:00:00Z`));
}

export const LANGUAGE_TAG_PROBLEM = 'must be a BCP 47 language tag, e.g. sw-KE, fr, en';

/** A BCP 47 language tag in its canonical form (`sw-KE`), or undefined when it is not one. */
export function canonicalLanguage(tag: string): string | undefined {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical;
  } catch {
    return undefined;
  }
}

/**
 * Which of the languages a template exists in to use for a request's language: the same tag, else
 * the same language without its region (`sw` for `sw-KE`), else the fallback (the instance's default
 * language), else none (the built-in English texts of the guide).
 */
export function chooseLanguage(
  available: readonly string[],
  requested: string | null,
  fallback: string | null,
): string | undefined {
  for (const wanted of [requested, fallback]) {
    if (!wanted) continue;
    const exact = available.find((language) => language.toLowerCase() === wanted.toLowerCase());
    if (exact) return exact;
    const base = wanted.split('-')[0]!.toLowerCase();
    const sameLanguage = available.find((language) => language.split('-')[0]!.toLowerCase() === base);
    if (sameLanguage) return sameLanguage;
  }
  return undefined;
}
