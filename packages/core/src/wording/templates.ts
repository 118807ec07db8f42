import { formatMoney } from './money';
import type { NotificationType } from '../messages/message-type';

/** What a billing notification says, before it is turned into text. */
export interface NotificationContent {
  readonly messageType: NotificationType;
  readonly customerName: string;
  /** Decimal text as stored (`"1500.00"`) or a number. */
  readonly amount: string | number;
  readonly currency: string;
  readonly invoiceId: string;
  /** `YYYY-MM-DD`, or null when the billing system sent none. */
  readonly dueDate: string | null;
}

type Line = string | null;

/**
 * The four texts of the integration guide's "Message Templates" section, line for line. A null line
 * is left out entirely (the Due Date line when there is no due date), so no empty line is left behind.
 */
const TEMPLATES: Readonly<Record<NotificationType, (c: NotificationContent, money: string) => Line[]>> = {
  payment_reminder: (c, money) => [
    'Payment Due Reminder',
    '',
    `Dear ${c.customerName},`,
    '',
    `This is a reminder that your payment of ${money} is due.`,
    '',
    `Invoice: #${c.invoiceId}`,
    c.dueDate ? `Due Date: ${c.dueDate}` : null,
    '',
    'Please ignore if already paid.',
  ],
  invoice: (c, money) => [
    'New Invoice Generated',
    '',
    `Dear ${c.customerName},`,
    '',
    'A new invoice has been generated for your account.',
    '',
    `Amount: ${money}`,
    `Invoice: #${c.invoiceId}`,
    c.dueDate ? `Due Date: ${c.dueDate}` : null,
  ],
  overdue: (c, money) => [
    'Payment Overdue Notice',
    '',
    `Dear ${c.customerName},`,
    '',
    'Your account is now OVERDUE.',
    '',
    `Outstanding: ${money}`,
    `Invoice: #${c.invoiceId}`,
    '',
    'Please settle immediately to avoid service interruption.',
  ],
  confirmation: (c, money) => [
    'Payment Received',
    '',
    `Dear ${c.customerName},`,
    '',
    'Thank you! We have received your payment.',
    '',
    `Amount: ${money}`,
    `Invoice: #${c.invoiceId}`,
    '',
    'Your account is now up to date.',
  ],
};

/** Renders the WhatsApp text for a notification exactly as the integration guide shows it. */
export function renderNotification(content: NotificationContent): string {
  const money = formatMoney(content.amount, content.currency);
  return TEMPLATES[content.messageType](content, money)
    .filter((line): line is string => line !== null)
    .join('\n');
}
