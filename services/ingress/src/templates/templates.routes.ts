import type { TemplateDraftPreview, TemplatePreviews } from '@telenexus/api-contract';
import { DomainError, renderTemplate, templateProblem, type TemplateValues } from '@telenexus/core';
import { Router } from 'express';
import Joi from 'joi';
import { validate } from '../http/validate';
import { notificationBodySchema } from '../notifications/notification-body.schema';
import { languageTagSchema } from './language-tag.schema';
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

interface DraftPreviewBody {
  text: string;
  language: string;
  company_name: string;
  payment_instructions: string;
  sample: PreviewQuery;
}

export const draftPreviewBodySchema = Joi.object<DraftPreviewBody>({
  text: Joi.string().min(1).max(8192).required(),
  language: languageTagSchema.default('en'),
  company_name: Joi.string().max(100).allow('').default(''),
  payment_instructions: Joi.string().max(500).allow('').default(''),
  sample: previewQuerySchema.default(),
});

/**
 * `GET /api/v1/templates/preview` (any API key): the four message texts rendered with the guide's
 * sample data, or with the values given in the query. `POST /api/v1/templates/preview`: an
 * account's own template, checked as it will be when saved, and rendered with and without a due date.
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

  router.post('/templates/preview', (request, response) => {
    const body = validate(draftPreviewBodySchema, request.body ?? null, 'body', {
      messageTextFields: ['text', 'payment_instructions'],
    });
    const values: TemplateValues = {
      customerName: body.sample.customer_name,
      amount: body.sample.amount,
      currency: body.sample.currency,
      invoiceId: body.sample.invoice_id,
      dueDate: body.sample.due_date,
      companyName: body.company_name,
      paymentInstructions: body.payment_instructions,
    };
    const problem = templateProblem(body.text, values, body.language);
    if (problem) {
      throw new DomainError('validation_failed', `text: ${problem}`, {
        fieldErrors: [{ field: 'text', message: problem }],
      });
    }
    response.json({
      language: body.language,
      text: renderTemplate(body.text, values, body.language),
      text_without_due_date: renderTemplate(body.text, { ...values, dueDate: null }, body.language),
    } satisfies TemplateDraftPreview);
  });

  return router;
}
