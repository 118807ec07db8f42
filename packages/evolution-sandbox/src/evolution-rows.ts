import type { InstanceRecord } from './instance-record';
import { userJid } from '@telenexus/evolution';

/** Baileys' DisconnectReason.connectionClosed, which Evolution reports for a dropped socket. */
export const CLOSED_STATUS_REASON = 428;

/** The 201 body of `POST /instance/create`, as Evolution 2.3 builds it for a Baileys instance. */
export function instanceCreatedBody(record: InstanceRecord): object {
  return {
    instance: {
      instanceName: record.name,
      instanceId: record.id,
      integration: record.integration,
      webhookWaBusiness: null,
      accessTokenWaBusiness: '',
      status: record.state === 'open' ? 'open' : 'created',
    },
    hash: record.token,
    webhook: {},
    websocket: {},
    rabbitmq: {},
    sqs: {},
    settings: {
      rejectCall: false,
      msgCall: '',
      groupsIgnore: false,
      alwaysOnline: false,
      readMessages: false,
      readStatus: false,
      syncFullHistory: false,
      wavoipToken: '',
    },
  };
}

/** One row of `GET /instance/fetchInstances`, shaped like Evolution's Instance table. */
export function fetchInstanceRow(record: InstanceRecord, messageCount: number): object {
  const createdAt = new Date(record.createdAt).toISOString();
  return {
    id: record.id,
    name: record.name,
    connectionStatus: record.state,
    // Evolution learns the owner and profile only once the instance has been paired.
    ownerJid: record.everConnected ? userJid(record.ownerNumber) : null,
    profileName: record.everConnected ? record.profileName : null,
    profilePicUrl: null,
    integration: record.integration,
    number: null,
    businessId: null,
    token: record.token,
    clientName: 'evolution_sandbox',
    disconnectionReasonCode: record.state === 'close' && record.everConnected ? CLOSED_STATUS_REASON : null,
    disconnectionObject: null,
    disconnectionAt: null,
    createdAt,
    updatedAt: createdAt,
    Chatwoot: null,
    Proxy: null,
    Rabbitmq: null,
    Sqs: null,
    Websocket: null,
    Setting: null,
    _count: { Message: messageCount, Contact: 0, Chat: 0 },
  };
}
