import { createHash } from 'node:crypto';
import type { MessageType } from '@telenexus/core';
import type { OutgoingAcceptance, OutgoingItem } from '@telenexus/db';
import type { Tenant } from './test-context';

/** One notification as ingress hands it to the accept statement: its dedupe key is its instance, invoice and type. */
export function outgoingItem(
  tenant: Tenant,
  index: number,
  invoiceId: string,
  messageType: MessageType = 'invoice',
): OutgoingItem {
  return {
    index,
    phoneNumber: '254712345678',
    customerName: 'Jane',
    amount: '1500.00',
    currency: 'KES',
    invoiceId,
    dueDate: null,
    messageType,
    text: `${messageType} ${invoiceId}`,
    expiresAt: null,
    dedupeKey: createHash('sha256').update(`${tenant.instance.id}/${invoiceId}/${messageType}`).digest(),
  };
}

/** A request of the tenant's instance, deduped over 24 hours. */
export function outgoingRequest(tenant: Tenant, items: readonly OutgoingItem[]): OutgoingAcceptance {
  return { accountId: tenant.accountId, instanceId: tenant.instance.id, items, dedupeWindowMs: 86_400_000 };
}
