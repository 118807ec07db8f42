import type {
  AccountWording as AccountWordingView,
  SavedTemplate as SavedTemplateView,
} from '@telenexus/api-contract';
import {
  NOTIFICATION_TYPES,
  type AccountWording,
  type NotificationType,
  type SavedTemplate,
} from '@telenexus/core';
import { Router, type Request } from 'express';
import Joi from 'joi';
import type { AuditTrail } from '../audit/audit-trail';
import { recordAudit } from '../audit/record-audit';
import { principalOf, requireAnyPermission, requirePermission } from '../auth/authenticate.middleware';
import { validate } from '../http/validate';
import type { ManageAccountWording } from './account-wording.use-case';
import { languageTagSchema } from './language-tag.schema';
import { draftPreviewBodySchema } from './templates.routes';

interface TemplatePath {
  message_type: NotificationType;
  language: string;
}

const templatePathSchema = Joi.object<TemplatePath>({
  message_type: Joi.string()
    .valid(...NOTIFICATION_TYPES)
    .required(),
  language: languageTagSchema.required(),
});

const templateQuerySchema = Joi.object<{ instance_id?: string }>({
  instance_id: Joi.string().trim().guid(),
});

const saveTemplateBodySchema = Joi.object<{ text: string }>({
  text: draftPreviewBodySchema.extract('text'),
});

const wordingFieldsBodySchema = Joi.object<{ company_name?: string; payment_instructions?: string }>({
  company_name: draftPreviewBodySchema.extract('company_name').optional(),
  payment_instructions: draftPreviewBodySchema.extract('payment_instructions').optional(),
}).min(1);

export function toSavedTemplateView(template: SavedTemplate): SavedTemplateView {
  return {
    message_type: template.messageType,
    language: template.language,
    instance_id: template.instanceId,
    text: template.text,
    updated_at: template.updatedAt.toISOString(),
  };
}

export function toAccountWordingView(wording: AccountWording): AccountWordingView {
  return {
    company_name: wording.companyName,
    payment_instructions: wording.paymentInstructions,
    data: wording.templates.map(toSavedTemplateView),
  };
}

/** Which text a PUT or DELETE names: the path's type and language, the query's instance. */
function templateKeyOf(request: Request) {
  const path = validate(templatePathSchema, request.params, 'path');
  const query = validate(templateQuerySchema, request.query, 'query');
  return { messageType: path.message_type, language: path.language, instanceId: query.instance_id ?? null };
}

/** What the audit log says of a text: which one it was. */
function describe(key: ReturnType<typeof templateKeyOf>): string {
  return `${key.messageType} in ${key.language}${key.instanceId ? ` for instance ${key.instanceId}` : ''}`;
}

/**
 * The Templates tab's saved wording: read by admin and support keys, written by admin keys, each
 * change in the audit log.
 */
export function accountWordingRoutes(wording: ManageAccountWording, audit: AuditTrail): Router {
  const router = Router();
  const admin = requirePermission('admin');

  router.get('/templates', requireAnyPermission('admin', 'support'), async (_request, response) => {
    response.json(toAccountWordingView(await wording.get(principalOf(response).accountId)));
  });

  router.patch('/templates', audit.action('account.update', 'account'), admin, async (request, response) => {
    const body = validate(wordingFieldsBodySchema, request.body ?? null, 'body', {
      messageTextFields: ['company_name', 'payment_instructions'],
    });
    const accountId = principalOf(response).accountId;
    const before = await wording.get(accountId);
    const after = await wording.updateFields(accountId, {
      companyName: body.company_name,
      paymentInstructions: body.payment_instructions,
    });
    const fields = (view: AccountWording) => ({
      company_name: view.companyName,
      payment_instructions: view.paymentInstructions,
    });
    await recordAudit(request, response, {
      targetId: accountId,
      before: fields(before),
      after: fields(after),
    });
    response.json(toAccountWordingView(after));
  });

  router.put(
    '/templates/:message_type/:language',
    audit.action('template.save', 'account'),
    admin,
    async (request, response) => {
      const key = templateKeyOf(request);
      const body = validate(saveTemplateBodySchema, request.body ?? null, 'body', {
        messageTextFields: ['text'],
      });
      const accountId = principalOf(response).accountId;
      const saved = await wording.saveTemplate(accountId, { ...key, text: body.text });
      const view = toSavedTemplateView(saved.template);
      await recordAudit(request, response, { targetId: accountId, after: view, detail: describe(key) });
      response.status(saved.created ? 201 : 200).json(view);
    },
  );

  router.delete(
    '/templates/:message_type/:language',
    audit.action('template.delete', 'account'),
    admin,
    async (request, response) => {
      const key = templateKeyOf(request);
      await wording.deleteTemplate(principalOf(response).accountId, key);
      await recordAudit(request, response, {
        targetId: principalOf(response).accountId,
        detail: describe(key),
      });
      response.status(204).end();
    },
  );

  return router;
}
