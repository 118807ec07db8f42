import { GUIDE_REFERENCE_BODY } from '@telenexus/core';

type Fields = Readonly<Record<string, unknown>>;

/** The integration guide's reference request body, with the test's changes on top. */
export function buildNotification(overrides: Fields = {}): Record<string, unknown> {
  return { ...GUIDE_REFERENCE_BODY, ...overrides };
}

/**
 * Notifications like the guide's reference example, each with an invoice of its own
 * (`PREFIX-1`, `PREFIX-2`, …): invoices without a due date, with the test's own defaults and each
 * call's overrides on top.
 */
export function notificationFactory(
  invoicePrefix: string,
  defaults: Fields = {},
): (overrides?: Fields) => Record<string, unknown> {
  let counter = 0;
  return (overrides = {}) => {
    counter += 1;
    return buildNotification({
      invoice_id: `${invoicePrefix}-${counter}`,
      message_type: 'invoice',
      due_date: null,
      ...defaults,
      ...overrides,
    });
  };
}
