/**
 * Notifications like the guide's reference example, each with an invoice of its own
 * (`PREFIX-1`, `PREFIX-2`, …), with the test's own defaults and each call's overrides on top.
 */
export function notificationFactory(
  invoicePrefix: string,
  defaults: Readonly<Record<string, unknown>> = {},
): (overrides?: Readonly<Record<string, unknown>>) => Record<string, unknown> {
  let counter = 0;
  return (overrides = {}) => {
    counter += 1;
    return {
      phone_number: '254712345678',
      customer_name: 'John Doe',
      amount: 1500,
      currency: 'KES',
      invoice_id: `${invoicePrefix}-${counter}`,
      message_type: 'invoice',
      ...defaults,
      ...overrides,
    };
  };
}
