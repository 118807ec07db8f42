import { renderNotification, type NotificationContent } from './templates';

const guideExample: Omit<NotificationContent, 'messageType'> = {
  customerName: 'John Doe',
  amount: '1500.00',
  currency: 'KES',
  invoiceId: 'INV-001',
  dueDate: '2026-02-15',
};

describe('renderNotification', () => {
  it("When a payment reminder has a due date, then the text is the guide's Payment Reminder exactly", () => {
    expect(renderNotification({ ...guideExample, messageType: 'payment_reminder' })).toBe(
      [
        'Payment Due Reminder',
        '',
        'Dear John Doe,',
        '',
        'This is a reminder that your payment of KES 1,500.00 is due.',
        '',
        'Invoice: #INV-001',
        'Due Date: 2026-02-15',
        '',
        'Please ignore if already paid.',
      ].join('\n'),
    );
  });

  it('When a payment reminder has no due date, then only the Due Date line is left out', () => {
    expect(renderNotification({ ...guideExample, dueDate: null, messageType: 'payment_reminder' })).toBe(
      [
        'Payment Due Reminder',
        '',
        'Dear John Doe,',
        '',
        'This is a reminder that your payment of KES 1,500.00 is due.',
        '',
        'Invoice: #INV-001',
        '',
        'Please ignore if already paid.',
      ].join('\n'),
    );
  });

  it("When an invoice is rendered, then the text is the guide's New Invoice exactly", () => {
    expect(renderNotification({ ...guideExample, messageType: 'invoice' })).toBe(
      [
        'New Invoice Generated',
        '',
        'Dear John Doe,',
        '',
        'A new invoice has been generated for your account.',
        '',
        'Amount: KES 1,500.00',
        'Invoice: #INV-001',
        'Due Date: 2026-02-15',
      ].join('\n'),
    );
  });

  it('When an invoice has no due date, then it ends with the Invoice line', () => {
    expect(
      renderNotification({ ...guideExample, dueDate: null, messageType: 'invoice' })
        .split('\n')
        .at(-1),
    ).toBe('Invoice: #INV-001');
  });

  it("When an overdue notice is rendered, then the text is the guide's Overdue Notice exactly", () => {
    expect(renderNotification({ ...guideExample, messageType: 'overdue' })).toBe(
      [
        'Payment Overdue Notice',
        '',
        'Dear John Doe,',
        '',
        'Your account is now OVERDUE.',
        '',
        'Outstanding: KES 1,500.00',
        'Invoice: #INV-001',
        '',
        'Please settle immediately to avoid service interruption.',
      ].join('\n'),
    );
  });

  it("When a confirmation is rendered, then the text is the guide's Payment Confirmation exactly", () => {
    expect(renderNotification({ ...guideExample, messageType: 'confirmation' })).toBe(
      [
        'Payment Received',
        '',
        'Dear John Doe,',
        '',
        'Thank you! We have received your payment.',
        '',
        'Amount: KES 1,500.00',
        'Invoice: #INV-001',
        '',
        'Your account is now up to date.',
      ].join('\n'),
    );
  });

  it('When the currency has no minor unit, then the amount shows none', () => {
    expect(
      renderNotification({ ...guideExample, currency: 'JPY', amount: '1500', messageType: 'invoice' }),
    ).toContain('Amount: JPY 1,500\n');
  });
});
