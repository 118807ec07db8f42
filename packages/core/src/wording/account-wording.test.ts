import {
  chooseTemplate,
  GUIDE_WORDING,
  wordNotification,
  type AccountWording,
  type SavedTemplate,
} from './account-wording';
import { renderNotification, type NotificationContent } from './templates';

const INSTANCE = '11111111-1111-4111-8111-111111111111';
const OTHER_INSTANCE = '22222222-2222-4222-8222-222222222222';

function saved(language: string, text: string, instanceId: string | null = null): SavedTemplate {
  return { instanceId, messageType: 'invoice', language, text, updatedAt: new Date(0) };
}

function wording(...templates: SavedTemplate[]): AccountWording {
  return { companyName: 'Mawingu Net', paymentInstructions: 'Paybill 247247', templates };
}

const content: NotificationContent = {
  messageType: 'invoice',
  customerName: 'Amina',
  amount: '1500.00',
  currency: 'KES',
  invoiceId: 'INV-9',
  dueDate: null,
};

const target = (language: string | null, defaultLanguage: string | null = null) => ({
  instanceId: INSTANCE,
  language,
  defaultLanguage,
});

describe('chooseTemplate', () => {
  it('When the account has no texts, then there is none to choose', () => {
    expect(chooseTemplate(GUIDE_WORDING, 'invoice', target('sw'))).toBeUndefined();
  });

  it("When the notification names a language, then that text is chosen, else the same language's other region, else the instance's default", () => {
    const texts = wording(saved('sw-KE', 'sw-KE'), saved('fr', 'fr'));
    expect(chooseTemplate(texts, 'invoice', target('sw-KE'))?.text).toBe('sw-KE');
    expect(chooseTemplate(texts, 'invoice', target('sw-TZ'))?.text).toBe('sw-KE');
    expect(chooseTemplate(texts, 'invoice', target('de', 'fr'))?.text).toBe('fr');
    expect(chooseTemplate(texts, 'invoice', target(null, 'fr-CA'))?.text).toBe('fr');
    expect(chooseTemplate(texts, 'invoice', target('de'))).toBeUndefined();
    expect(chooseTemplate(texts, 'overdue', target('sw-KE'))).toBeUndefined();
  });

  it("When an instance has its own text in the language, then it wins over the account's; another instance's is never used", () => {
    const texts = wording(
      saved('en', 'account'),
      saved('en', 'mine', INSTANCE),
      saved('sw', 'theirs', OTHER_INSTANCE),
    );
    expect(chooseTemplate(texts, 'invoice', target('en'))?.text).toBe('mine');
    expect(chooseTemplate(texts, 'invoice', { ...target('en'), instanceId: OTHER_INSTANCE })?.text).toBe(
      'account',
    );
    expect(chooseTemplate(texts, 'invoice', target('sw'))).toBeUndefined();
  });
});

describe('wordNotification', () => {
  it("When no text applies, then it is the guide's text exactly", () => {
    expect(wordNotification(content, wording(saved('fr', 'x')), target('sw'))).toBe(
      renderNotification(content),
    );
  });

  it("When a text applies, then it is rendered with the account's fields, in its language's formats", () => {
    const texts = wording(saved('sw', '{{company_name}}: {{amount}} — {{payment_instructions}}'));
    expect(wordNotification(content, texts, target('sw'))).toBe(
      'Mawingu Net: KES\u00a01,500.00 — Paybill 247247',
    );
  });
});
