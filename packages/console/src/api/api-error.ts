/** What went wrong with an API call, already in words a person can act on. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    message: string,
    /** The HTTP status, or 0 when Telenexus could not be reached at all. */
    readonly status: number,
    /** Per-field problems of a 400, as sentences. */
    readonly fieldProblems: readonly string[] = [],
    /** The API's stable error `code` (`rate_limited`, `instance_not_connected`, …), to branch on. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export const CANNOT_REACH =
  'Cannot reach Telenexus. Check your network connection and that the server is running, then try again.';

/** What each status means when the answer carries no `detail` of its own. */
const FALLBACK_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'The request was not accepted. Check the values and try again.',
  401: 'Your admin key is not valid any more (it may have been revoked). Sign in again.',
  403: 'This key is not allowed to do that.',
  404: 'Not found. It may have been deleted.',
  409: 'That conflicts with the current state. Reload and try again.',
  413: 'That is too large for Telenexus to accept.',
  422: 'That request does not match an earlier one with the same key.',
  429: 'Too many requests. Wait a moment and try again.',
  503: 'Telenexus is temporarily unavailable (its database or Redis is not answering). Try again shortly.',
};

/** API field names as the console's forms label them. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: 'Name',
  permissions: 'Permissions',
  evolution_instance_name: 'Evolution instance name',
  evolution_token: 'Evolution instance token',
  country: 'Country',
  timezone: 'Time zone',
  default_language: 'Default language',
  'pacing.min_gap_ms': 'Minimum gap',
  'pacing.jitter_ms': 'Jitter',
  'pacing.daily_cap': 'Daily cap',
  quiet_hours: 'Quiet hours',
  'quiet_hours.start': 'Quiet hours start',
  'quiet_hours.end': 'Quiet hours end',
  url: 'URL',
  description: 'Description',
  events: 'Events',
  customer_name: 'Customer name',
  amount: 'Amount',
  currency: 'Currency',
  invoice_id: 'Invoice',
  due_date: 'Due date',
  text: 'Template',
  language: 'Language',
  message_type: 'Message type',
  company_name: 'Company name',
  payment_instructions: 'Payment instructions',
  phone_number: 'Phone number',
  from: 'From date',
  to: 'To date',
};

/** The API's RFC 9457 problem: `detail` is written for people, `code` for programs. */
interface ErrorBody {
  readonly detail?: unknown;
  readonly code?: unknown;
  readonly errors?: unknown;
  readonly error_id?: unknown;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) return trimmed;
  const capitalised = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

function fieldProblem(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { field, message } = error as { field?: unknown; message?: unknown };
  if (typeof field !== 'string' || typeof message !== 'string') return undefined;
  return sentence(`${FIELD_LABELS[field] ?? field.replace(/_/g, ' ')} ${message}`);
}

/**
 * Turns an error answer into an {@link ApiError}: the API's `detail` (its words are written for
 * people), each field problem with the field named as the form labels it, or what the status means;
 * the problem's `code` is kept for pages to branch on. Nothing of the raw body is shown.
 */
export function toApiError(status: number, body: unknown): ApiError {
  const parsed: ErrorBody = typeof body === 'object' && body !== null ? body : {};
  const code = typeof parsed.code === 'string' ? parsed.code : undefined;
  const problems = Array.isArray(parsed.errors)
    ? parsed.errors.map(fieldProblem).filter((problem): problem is string => problem !== undefined)
    : [];
  if (status >= 500 && status !== 503) {
    const errorId = typeof parsed.error_id === 'string' ? ` (error id ${parsed.error_id})` : '';
    return new ApiError(
      `Something went wrong inside Telenexus${errorId}. Try again, or tell support.`,
      status,
      [],
      code,
    );
  }
  if (problems.length > 0) {
    return new ApiError(
      problems.length === 1 ? problems[0]! : 'Some values need fixing.',
      status,
      problems.length === 1 ? [] : problems,
      code,
    );
  }
  const detail =
    typeof parsed.detail === 'string' && parsed.detail.trim() ? sentence(parsed.detail) : undefined;
  return new ApiError(
    detail ?? FALLBACK_BY_STATUS[status] ?? `Telenexus answered with status ${status}.`,
    status,
    [],
    code,
  );
}

/** Any thrown value as words for the page. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong in the console. Reload the page and try again.';
}
