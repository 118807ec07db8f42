import { badRequest, schemaViolation } from './evolution-http-error';
import {
  EVOLUTION_EVENT_NAMES,
  isEvolutionEventName,
  type EvolutionEventName,
} from './evolution-event-names';

/*
 * Evolution validates bodies with the `jsonschema` package and reports each failure's `stack` with
 * the leading "instance." removed, or the schema's `description` when it has one. The wording below
 * reproduces those messages for the fields the sandbox knows.
 */

export interface SendTextBody {
  readonly number: string;
  readonly text: string;
  readonly delay?: number;
  readonly linkPreview?: boolean;
}

export interface WebhookBody {
  readonly enabled: boolean;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>> | null;
  readonly byEvents: boolean;
  readonly base64: boolean;
  readonly events: readonly EvolutionEventName[];
}

export interface CreateInstanceBody {
  readonly instanceName: string;
  readonly token?: string;
  readonly integration: string;
  readonly number?: string;
}

export interface FindStatusBody {
  readonly id?: string;
  readonly remoteJid?: string;
  readonly limit?: number;
}

/** `POST /chat/findMessages`: where the message went, whether we sent it, when; a page of it. */
export interface FindMessagesBody {
  readonly remoteJid?: string;
  readonly fromMe?: boolean;
  /** Epoch ms bounds of `messageTimestamp`. */
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly page: number;
  readonly offset: number;
}

const INTEGRATIONS = ['WHATSAPP-BAILEYS', 'WHATSAPP-BUSINESS', 'EVOLUTION'] as const;

/** `POST /message/sendText`: schema first, then the service's own "Text is required". */
export function parseSendTextBody(body: unknown): SendTextBody {
  const problems: string[] = [];
  const record = asRecord(body, problems);
  if (record) {
    if ('number' in record && typeof record.number !== 'string') problems.push('Invalid format');
    if ('text' in record && typeof record.text !== 'string') problems.push(typeError('text', 'string'));
    if ('delay' in record && !Number.isInteger(record.delay)) problems.push('Enter a value in milliseconds');
    if ('linkPreview' in record && typeof record.linkPreview !== 'boolean') {
      problems.push(typeError('linkPreview', 'boolean'));
    }
    requireProperties(record, ['number', 'text'], problems, 'instance');
  }
  if (problems.length > 0 || !record) throw schemaViolation(problems);
  const text = record.text as string;
  if (text.trim() === '') throw badRequest('Text is required');
  return {
    number: record.number as string,
    text,
    ...(typeof record.delay === 'number' ? { delay: record.delay } : {}),
    ...(typeof record.linkPreview === 'boolean' ? { linkPreview: record.linkPreview } : {}),
  };
}

/** `POST /webhook/set`: the `{webhook: {...}}` schema, then the controller's URL check. */
export function parseWebhookBody(body: unknown): WebhookBody {
  const problems: string[] = [];
  const record = asRecord(body, problems);
  let webhook: Readonly<Record<string, unknown>> | undefined;
  if (record) {
    if ('webhook' in record) {
      if (isRecord(record.webhook)) webhook = record.webhook;
      else problems.push(typeError('webhook', 'object'));
    }
    requireProperties(record, ['webhook'], problems, 'instance');
  }
  if (webhook) {
    if ('enabled' in webhook && typeof webhook.enabled !== 'boolean') {
      problems.push(typeError('webhook.enabled', 'boolean'));
    }
    if ('url' in webhook) {
      if (typeof webhook.url !== 'string') problems.push(typeError('webhook.url', 'string'));
      else if (webhook.url === '') problems.push('The "url" cannot be empty');
    }
    if ('headers' in webhook && !isRecord(webhook.headers)) {
      problems.push(typeError('webhook.headers', 'object'));
    }
    for (const flag of ['byEvents', 'base64'] as const) {
      if (flag in webhook && typeof webhook[flag] !== 'boolean') {
        problems.push(typeError(`webhook.${flag}`, 'boolean'));
      }
    }
    if ('events' in webhook) {
      if (!Array.isArray(webhook.events)) {
        problems.push(typeError('webhook.events', 'array'));
      } else {
        (webhook.events as unknown[]).forEach((event, index) => {
          if (typeof event !== 'string') problems.push(typeError(`webhook.events[${index}]`, 'string'));
          else if (!isEvolutionEventName(event)) {
            problems.push(
              `webhook.events[${index}] is not one of enum values: ${EVOLUTION_EVENT_NAMES.join(',')}`,
            );
          }
        });
      }
    }
    requireProperties(webhook, ['enabled', 'url'], problems, 'webhook');
  }
  if (problems.length > 0 || !webhook) throw schemaViolation(problems);

  const url = webhook.url as string;
  if (!isHttpUrl(url)) throw badRequest('Invalid "url" property');
  const enabled = webhook.enabled as boolean;
  const events = Array.isArray(webhook.events) ? (webhook.events as EvolutionEventName[]) : [];
  return {
    enabled,
    url,
    headers: isRecord(webhook.headers) ? stringValues(webhook.headers) : null,
    byEvents: webhook.byEvents === true,
    base64: webhook.base64 === true,
    // Evolution stores no events for a disabled webhook and every event for an enabled one without a list.
    events: !enabled ? [] : events.length === 0 ? [...EVOLUTION_EVENT_NAMES] : [...new Set(events)],
  };
}

/** `POST /instance/create`. */
export function parseCreateInstanceBody(body: unknown): CreateInstanceBody {
  const problems: string[] = [];
  const record = asRecord(body, problems);
  if (record) {
    if ('instanceName' in record) {
      if (typeof record.instanceName !== 'string') problems.push(typeError('instanceName', 'string'));
      else if (record.instanceName === '') problems.push('The "instanceName" cannot be empty');
    }
    if ('token' in record && typeof record.token !== 'string') problems.push(typeError('token', 'string'));
    if ('number' in record && typeof record.number !== 'string') problems.push('Invalid format');
    if ('integration' in record && !(INTEGRATIONS as readonly unknown[]).includes(record.integration)) {
      problems.push(`integration is not one of enum values: ${INTEGRATIONS.join(',')}`);
    }
    requireProperties(record, ['instanceName'], problems, 'instance');
  }
  if (problems.length > 0 || !record) throw schemaViolation(problems);
  const token = typeof record.token === 'string' && record.token !== '' ? record.token : undefined;
  const number = typeof record.number === 'string' && record.number !== '' ? record.number : undefined;
  return {
    instanceName: record.instanceName as string,
    integration: typeof record.integration === 'string' ? record.integration : 'WHATSAPP-BAILEYS',
    ...(token === undefined ? {} : { token }),
    ...(number === undefined ? {} : { number }),
  };
}

/** `POST /chat/findStatusMessage`: every field is optional. */
export function parseFindStatusBody(body: unknown): FindStatusBody {
  const problems: string[] = [];
  const record = body === undefined ? {} : asRecord(body, problems);
  let where: Readonly<Record<string, unknown>> = {};
  if (record && 'where' in record) {
    if (isRecord(record.where)) where = record.where;
    else problems.push(typeError('where', 'object'));
  }
  for (const name of ['id', 'remoteJid'] as const) {
    if (name in where && typeof where[name] !== 'string') problems.push(typeError(`where.${name}`, 'string'));
    else if (where[name] === '') problems.push(`The "${name}" cannot be empty`);
  }
  if (record && 'limit' in record && !Number.isInteger(record.limit)) {
    problems.push(typeError('limit', 'integer'));
  }
  if (problems.length > 0 || !record) throw schemaViolation(problems);
  return {
    ...(typeof where.id === 'string' ? { id: where.id } : {}),
    ...(typeof where.remoteJid === 'string' ? { remoteJid: where.remoteJid } : {}),
    ...(typeof record.limit === 'number' ? { limit: record.limit } : {}),
  };
}

/**
 * `POST /chat/findMessages`: `{"where": {"key": {"remoteJid", "fromMe"}, "messageTimestamp": {"gte",
 * "lte"}}, "page", "offset"}`, every part optional (Evolution's `fetchMessages`).
 */
export function parseFindMessagesBody(body: unknown): FindMessagesBody {
  const problems: string[] = [];
  const record = body === undefined ? {} : asRecord(body, problems);
  const where = record && isRecord(record.where) ? record.where : {};
  const key = isRecord(where.key) ? where.key : {};
  const timestamp = isRecord(where.messageTimestamp) ? where.messageTimestamp : {};
  if ('remoteJid' in key && typeof key.remoteJid !== 'string')
    problems.push(typeError('where.key.remoteJid', 'string'));
  if ('fromMe' in key && typeof key.fromMe !== 'boolean')
    problems.push(typeError('where.key.fromMe', 'boolean'));
  const bound = (name: 'gte' | 'lte'): number | undefined => {
    const value = timestamp[name];
    if (value === undefined) return undefined;
    const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms)) problems.push(typeError(`where.messageTimestamp.${name}`, 'date string'));
    return ms;
  };
  const fromMs = bound('gte');
  const toMs = bound('lte');
  if (problems.length > 0 || !record) throw schemaViolation(problems);
  const positive = (value: unknown, fallback: number): number =>
    Number.isInteger(value) && (value as number) > 0 ? (value as number) : fallback;
  return {
    ...(typeof key.remoteJid === 'string' ? { remoteJid: key.remoteJid } : {}),
    ...(typeof key.fromMe === 'boolean' ? { fromMe: key.fromMe } : {}),
    ...(fromMs === undefined ? {} : { fromMs }),
    ...(toMs === undefined ? {} : { toMs }),
    page: positive(record.page, 1),
    offset: positive(record.offset, 50),
  };
}

function asRecord(body: unknown, problems: string[]): Readonly<Record<string, unknown>> | undefined {
  // Express leaves the body undefined when none was sent; Evolution then validates `{}`.
  if (body === undefined) return {};
  if (isRecord(body)) return body;
  problems.push('instance is not of a type(s) object');
  return undefined;
}

function requireProperties(
  record: Readonly<Record<string, unknown>>,
  names: readonly string[],
  problems: string[],
  path: string,
): void {
  for (const name of names) {
    if (record[name] === undefined) problems.push(`${path} requires property "${name}"`);
  }
}

function typeError(path: string, type: string): string {
  return `${path} is not of a type(s) ${type}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function stringValues(record: Readonly<Record<string, unknown>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined && value !== null) {
      result[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return result;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
