import type { TemplatePreviews } from '@telenexus/api-contract';
import { Router } from 'express';
import Joi from 'joi';
import { validate } from '../http/validate';
import { notificationBodySchema } from '../notifications/notification-body.schema';
import { GUIDE_SAMPLE, previewTemplates, type TemplateSample } from './preview-templates.use-case';

interface PreviewQuery {
  customer_name: string;
  amount: number;
  currency: string;
  invoice_id: string;
  due_date: string | null;
}

/** Each value is checked exactly as the send endpoint checks it, so a preview never shows what it would refuse. */
const field = (name: keyof PreviewQuery): Joi.Schema => notificationBodySchema.extract(name).optional();

export const previewQuerySchema = Joi.object<PreviewQuery>({
  customer_name: field('customer_name').default(GUIDE_SAMPLE.customerName),
  // Before the amount: its allowed decimals are read from the currency, default included.
  currency: field('currency').default(GUIDE_SAMPLE.currency),
  amount: field('amount').default(GUIDE_SAMPLE.amount),
  invoice_id: field('invoice_id').default(GUIDE_SAMPLE.invoiceId),
  // An empty due_date previews the texts without it, as a notification without one is sent.
  due_date: field('due_date').default(GUIDE_SAMPLE.dueDate),
});

/**
 * `GET /api/v1/templates/preview` (any API key): the four message texts rendered with the guide's
 * sample data, or with the values given in the query.
 */
export function templatesRoutes(): Router {
  const router = Router();

  router.get('/templates/preview', (request, response) => {
    const query = validate(previewQuerySchema, request.query, 'query');
    const sample: TemplateSample = {
      customerName: query.customer_name,
      amount: query.amount,
      currency: query.currency,
      invoiceId: query.invoice_id,
      dueDate: query.due_date,
    };
    response.json({
      data: previewTemplates(sample).map((preview) => ({
        message_type: preview.messageType,
        text: preview.text,
      })),
      sample: {
        customer_name: sample.customerName,
        amount: sample.amount,
        currency: sample.currency,
        invoice_id: sample.invoiceId,
        due_date: sample.dueDate,
      },
    } satisfies TemplatePreviews);
  });

  return router;
}
