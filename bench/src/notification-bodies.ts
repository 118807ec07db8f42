/** A request body as the integration guide has it: what billing systems post. */
export interface NotificationBody {
  readonly phone_number: string;
  readonly customer_name: string;
  readonly amount: number;
  readonly currency: string;
  readonly invoice_id: string;
  readonly due_date: string;
  readonly message_type: 'invoice';
}

const DUE_DATE = new Date(Date.now() + 14 * 24 * 3600 * 1000).toISOString().slice(0, 10);

/** Safaricom ranges, valid in libphonenumber's full metadata. */
const PREFIXES = ['254712', '254722', '254701', '254790'] as const;

/**
 * The `sequence`-th notification of a run: a unique invoice id, so the 24 h dedupe stays on but
 * never matches, and varied numbers and names like a real billing run.
 */
export function notificationBody(tag: string, sequence: number): NotificationBody {
  const prefix = PREFIXES[sequence % PREFIXES.length]!;
  const subscriber = String((sequence * 7919) % 1_000_000).padStart(6, '0');
  return {
    phone_number: `${prefix}${subscriber}`,
    customer_name: `Customer ${sequence}`,
    amount: 1500 + (sequence % 100) / 4,
    currency: 'KES',
    invoice_id: `${tag}-${sequence}`,
    due_date: DUE_DATE,
    message_type: 'invoice',
  };
}
