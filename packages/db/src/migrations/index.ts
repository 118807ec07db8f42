import { InitialSchema1795735800000 } from './1795735800000-initial-schema';
import { ManagementReceiptsWebhooks1795740000000 } from './1795740000000-management-receipts-webhooks';
import { BillingRuns1795750000000 } from './1795750000000-billing-runs';
import { Operations1795760000000 } from './1795760000000-operations';
import { ConnectionTimeline1795770000000 } from './1795770000000-connection-timeline';
import { AdmissionCounts1795780000000 } from './1795780000000-admission-counts';
import { EdgeOutcomes1795790000000 } from './1795790000000-edge-outcomes';
import { SupportRole1795800000000 } from './1795800000000-support-role';
import { AuditEvents1795810000000 } from './1795810000000-audit-events';
import { SecretsAtRest1795820000000 } from './1795820000000-secrets-at-rest';
import { WebhookSecretOverlap1795830000000 } from './1795830000000-webhook-secret-overlap';
import { EveryEvent1795840000000 } from './1795840000000-every-event';
import { FairWebhookDelivery1795850000000 } from './1795850000000-fair-webhook-delivery';
import { DropGlobalWebhookDueIndex1795880000000 } from './1795880000000-drop-global-webhook-due-index';
import { ApiKeyChangeNotices1795881000000 } from './1795881000000-api-key-change-notices';
import { InstanceChangeNotices1795882000000 } from './1795882000000-instance-change-notices';
import { SweeperIndexes1795883000000 } from './1795883000000-sweeper-indexes';
import { HeldBacklogIndex1795884000000 } from './1795884000000-held-backlog-index';
import { UrlGateway1795885000000 } from './1795885000000-url-gateway';
import { MessageMetadata1795886000000 } from './1795886000000-message-metadata';
import { AccountTemplates1795887000000 } from './1795887000000-account-templates';
import { ScheduledSends1795888000000 } from './1795888000000-scheduled-sends';

/** Every migration, oldest first. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [
  InitialSchema1795735800000,
  ManagementReceiptsWebhooks1795740000000,
  BillingRuns1795750000000,
  Operations1795760000000,
  ConnectionTimeline1795770000000,
  AdmissionCounts1795780000000,
  EdgeOutcomes1795790000000,
  SupportRole1795800000000,
  AuditEvents1795810000000,
  SecretsAtRest1795820000000,
  WebhookSecretOverlap1795830000000,
  EveryEvent1795840000000,
  FairWebhookDelivery1795850000000,
  DropGlobalWebhookDueIndex1795880000000,
  ApiKeyChangeNotices1795881000000,
  InstanceChangeNotices1795882000000,
  SweeperIndexes1795883000000,
  HeldBacklogIndex1795884000000,
  UrlGateway1795885000000,
  MessageMetadata1795886000000,
  AccountTemplates1795887000000,
  ScheduledSends1795888000000,
];
