import { NOTIFICATION_TYPES, renderNotification, type NotificationType } from '@telenexus/core';

/** The values a preview fills the templates with. */
export interface TemplateSample {
  readonly customerName: string;
  readonly amount: number;
  readonly currency: string;
  readonly invoiceId: string;
  /** `YYYY-MM-DD`, or null to preview the texts without their Due Date line. */
  readonly dueDate: string | null;
}

/** The integration guide's "Message Templates" sample: what every preview starts from. */
export const GUIDE_SAMPLE: TemplateSample = {
  customerName: 'John Doe',
  amount: 1500,
  currency: 'KES',
  invoiceId: 'INV-001',
  dueDate: '2026-02-15',
};

export interface TemplatePreview {
  readonly messageType: NotificationType;
  readonly text: string;
}

/** The four WhatsApp texts, in the guide's order, exactly as the dispatcher would send them. */
export function previewTemplates(sample: TemplateSample): TemplatePreview[] {
  return NOTIFICATION_TYPES.map((messageType) => ({
    messageType,
    text: renderNotification({ messageType, ...sample }),
  }));
}
