import {
  canonicalLanguage,
  chooseLanguage,
  renderTemplate,
  templateProblem,
  type TemplateValues,
} from './account-template';

const values: TemplateValues = {
  customerName: 'Amina Odhiambo',
  amount: '1500.00',
  currency: 'KES',
  invoiceId: 'INV-2026-0042',
  dueDate: '2026-02-15',
  companyName: 'Mawingu Net',
  paymentInstructions: 'Lipa kwa M-Pesa: Paybill 247247, akaunti INV-2026-0042',
};

const SWAHILI =
  'Habari {{customer_name}},\n\n' +
  'Ankara yako ya {{company_name}} ya {{amount}} iko tayari.\n' +
  'Ankara: #{{invoice_id}}\n' +
  '{{#due_date}}Tarehe ya mwisho: {{due_date}}\n{{/due_date}}' +
  '{{payment_instructions}}';

describe('renderTemplate', () => {
  it('When a Swahili template with a paybill is rendered, then amounts and dates are written in Swahili and nothing is escaped', () => {
    expect(renderTemplate(SWAHILI, { ...values, customerName: 'Amina & Co <Ltd>' }, 'sw-KE')).toBe(
      'Habari Amina & Co <Ltd>,\n\n' +
        'Ankara yako ya Mawingu Net ya KES\u00a01,500.00 iko tayari.\n' +
        'Ankara: #INV-2026-0042\n' +
        'Tarehe ya mwisho: 15 Februari 2026\n' +
        'Lipa kwa M-Pesa: Paybill 247247, akaunti INV-2026-0042',
    );
  });

  it('When there is no due date, then the conditional line is left out entirely', () => {
    expect(renderTemplate(SWAHILI, { ...values, dueDate: null }, 'sw-KE')).not.toContain('Tarehe');
  });

  it("When the language is French, then the amount and date follow French usage and the currency's minor digits", () => {
    expect(
      renderTemplate('{{amount}} — {{due_date}}', { ...values, currency: 'XOF', amount: '1500' }, 'fr'),
    ).toBe('1\u202f500\u00a0XOF — 15 février 2026');
  });
});

describe('templateProblem', () => {
  it('When a template uses only placeholders and the due-date condition, then it can be saved', () => {
    expect(templateProblem(SWAHILI, values, 'sw-KE')).toBeUndefined();
  });

  it.each([
    [
      'an unknown placeholder',
      'Hi {{customer}}',
      /^uses \{\{customer\}\}, which is not a placeholder; use \{\{customer_name\}\}/,
    ],
    [
      'a condition on another field',
      '{{#amount}}x{{/amount}}',
      /^may only be conditional on \{\{#due_date\}\}/,
    ],
    ['a partial', 'Hi {{> footer}}', /^must not use \{\{>…\}\}/],
    ['a broken tag', 'Hi {{#due_date}}', /^is not a valid template: Unclosed section "due_date"/],
    ['nothing but a condition', '{{#due_date}}{{due_date}}{{/due_date}}', /^renders an empty text$/],
    [
      'a result over 4,096 characters',
      `{{customer_name}}${'x'.repeat(4096)}`,
      /^renders 4110 characters, more than the 4096/,
    ],
    ['a control character', 'Hi\u0007{{customer_name}}', /^must not contain control characters/],
  ])('When a template has %s, then it is refused saying why', (_case, template, problem) => {
    expect(templateProblem(template, values, 'en')).toMatch(problem);
  });
});

describe('languages', () => {
  it('When a BCP 47 tag is given in any case, then it is canonical; a non-tag is refused', () => {
    expect(canonicalLanguage('SW-ke')).toBe('sw-KE');
    expect(canonicalLanguage('not a tag')).toBeUndefined();
  });

  it("When a request's language is chosen, then the exact tag, else the same language, else the instance's default, else none", () => {
    const available = ['sw', 'fr-CD'];
    expect(chooseLanguage(available, 'sw', 'fr-CD')).toBe('sw');
    expect(chooseLanguage(available, 'sw-KE', null)).toBe('sw');
    expect(chooseLanguage(available, 'fr-FR', null)).toBe('fr-CD');
    expect(chooseLanguage(available, 'de', 'fr-CD')).toBe('fr-CD');
    expect(chooseLanguage(available, 'de', 'en')).toBeUndefined();
    expect(chooseLanguage([], null, null)).toBeUndefined();
  });
});
