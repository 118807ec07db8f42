import { createAccountCommand, updateAccountCommand } from './commands/accounts.command';
import { auditCommand } from './commands/audit.command';
import {
  applyInstanceWebhookCommand,
  createInstanceCommand,
  listInstancesCommand,
} from './commands/instances.command';
import { createKeyCommand, listKeysCommand, revokeKeyCommand } from './commands/keys.command';
import { initCommand } from './commands/init.command';
import { migrateCommand } from './commands/migrate.command';
import { newSecretsKeyCommand, rotateSecretsCommand } from './commands/secrets.command';
import { startCommand } from './commands/start.command';
import { JSON_OPTION, optional, required, type CommandSpec } from './command-spec';
import { runService, type ServiceName } from './run-service';

function runServiceCommand(service: ServiceName): CommandSpec {
  return {
    name: `run ${service}`,
    synopsis: '',
    summary: `Run ${service === 'sandbox' ? 'the Evolution sandbox' : service} in this process (what containers do)`,
    options: {},
    run: () => {
      runService(service);
      return Promise.resolve(0);
    },
  };
}

/** Every command the CLI knows, in the order the usage lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'start',
    synopsis: '',
    summary:
      'Run the whole system: migrations, ingress, dispatcher, and the Evolution sandbox when\nEVOLUTION_API_URL is not set',
    options: {},
    run: (_flags, { config, output }) => startCommand(config(), output),
  },
  runServiceCommand('ingress'),
  runServiceCommand('dispatcher'),
  runServiceCommand('sandbox'),
  {
    name: 'migrate',
    synopsis: '',
    summary: 'Apply database migrations',
    options: {},
    run: async (_flags, { config, output }) => {
      await migrateCommand(config(), output);
      return 0;
    },
  },
  {
    name: 'init',
    synopsis: '',
    summary:
      'Migrate, then on an empty database create the first account and keys and print them once\n(with a demo instance only on the built-in sandbox); for docker compose and Kubernetes',
    options: {},
    run: (_flags, { config, output }) => initCommand(config(), output),
  },
  {
    name: 'accounts create',
    synopsis: '--name NAME [--json]',
    summary: "Create an account; also prints the account's first admin key, once",
    options: { name: { type: 'string' }, ...JSON_OPTION },
    run: async (flags, { config, output }) => {
      await createAccountCommand(config(), output, {
        name: required(flags, 'name'),
        json: flags.json === true,
      });
      return 0;
    },
  },
  {
    name: 'accounts update',
    synopsis: '--account ID --unconfirmed-sends fail|resend_once [--json]',
    summary:
      'What happens to sends WhatsApp never confirmed by the deadline: fail (the default, reason code\nunconfirmed) or resend_once (sent once more; a customer may get it twice)',
    options: { account: { type: 'string' }, 'unconfirmed-sends': { type: 'string' }, ...JSON_OPTION },
    run: async (flags, { config, output }) => {
      await updateAccountCommand(config(), output, {
        accountId: required(flags, 'account'),
        unconfirmedSends: required(flags, 'unconfirmed-sends'),
        json: flags.json === true,
      });
      return 0;
    },
  },
  {
    name: 'keys create',
    synopsis: '--account ID --name NAME [--permissions send_message,receive_message,admin,support] [--json]',
    summary: 'Create an API key (default permission send_message); prints it once, it cannot be shown again',
    options: {
      account: { type: 'string' },
      name: { type: 'string' },
      permissions: { type: 'string' },
      ...JSON_OPTION,
    },
    run: async (flags, { config, output }) => {
      const permissions = (optional(flags, 'permissions') ?? 'send_message')
        .split(',')
        .map((permission) => permission.trim())
        .filter(Boolean);
      await createKeyCommand(config(), output, {
        accountId: required(flags, 'account'),
        name: required(flags, 'name'),
        permissions,
        json: flags.json === true,
      });
      return 0;
    },
  },
  {
    name: 'keys list',
    synopsis: '--account ID [--json]',
    summary: "List an account's API keys (never the keys themselves: prefix and last 4 characters)",
    options: { account: { type: 'string' }, ...JSON_OPTION },
    run: async (flags, { config, output }) => {
      await listKeysCommand(config(), output, {
        accountId: required(flags, 'account'),
        json: flags.json === true,
      });
      return 0;
    },
  },
  {
    name: 'keys revoke',
    synopsis: '--key ID [--json]',
    summary: "Revoke an API key at once (an account's last admin key cannot be revoked)",
    options: { key: { type: 'string' }, ...JSON_OPTION },
    run: async (flags, { config, output }) => {
      await revokeKeyCommand(config(), output, { keyId: required(flags, 'key'), json: flags.json === true });
      return 0;
    },
  },
  {
    name: 'instances list',
    synopsis: '[--account ID] [--json]',
    summary: "List one account's instances, or every account's, with their connection state",
    options: { account: { type: 'string' }, ...JSON_OPTION },
    run: async (flags, { config, output }) => {
      await listInstancesCommand(config(), output, {
        accountId: optional(flags, 'account'),
        json: flags.json === true,
      });
      return 0;
    },
  },
  {
    name: 'instances create',
    synopsis:
      '--account ID --name NAME --evolution-instance NAME\n    [--evolution-token TOKEN] [--country KE] [--timezone Africa/Nairobi] [--json]',
    summary:
      'Link an Evolution instance (a WhatsApp number) to an account and point its webhook at Telenexus',
    options: {
      account: { type: 'string' },
      name: { type: 'string' },
      'evolution-instance': { type: 'string' },
      'evolution-token': { type: 'string' },
      country: { type: 'string' },
      timezone: { type: 'string' },
      ...JSON_OPTION,
    },
    run: async (flags, { config, output }) => {
      await createInstanceCommand(config(), output, {
        accountId: required(flags, 'account'),
        name: required(flags, 'name'),
        evolutionInstanceName: required(flags, 'evolution-instance'),
        evolutionToken: optional(flags, 'evolution-token'),
        country: optional(flags, 'country'),
        timezone: optional(flags, 'timezone'),
        json: flags.json === true,
      });
      return 0;
    },
  },
  {
    name: 'instances webhook',
    synopsis: '--instance ID',
    summary: "Point the instance's Evolution webhook at Telenexus again",
    options: { instance: { type: 'string' } },
    run: (flags, { config, output }) =>
      applyInstanceWebhookCommand(config(), output, { instanceId: required(flags, 'instance') }),
  },
  {
    name: 'secrets rotate',
    synopsis: '[--json]',
    summary:
      'Re-encrypt every stored secret under the first key of SECRETS_KEY (plain-text ones too), in\nbatches, printing counts; afterwards the other keys can be removed from SECRETS_KEY',
    options: { ...JSON_OPTION },
    run: async (flags, { config, output }) => {
      await rotateSecretsCommand(config(), output, { json: flags.json === true });
      return 0;
    },
  },
  {
    name: 'secrets new-key',
    synopsis: '',
    summary: 'Print a fresh SECRETS_KEY entry (<keyId>:<base64 of 32 bytes>) to rotate to',
    options: {},
    run: (_flags, { output }) => {
      newSecretsKeyCommand(output);
      return Promise.resolve(0);
    },
  },
  {
    name: 'audit',
    synopsis: '[--account ID] [--action ACTION] [--since ISO] [--limit N] [--json]',
    summary:
      "The newest audit events (every management action, by whom, from where), one account's or\nevery account's; --action takes an action (instance.update) or a prefix (instance.)",
    options: {
      account: { type: 'string' },
      action: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      ...JSON_OPTION,
    },
    run: async (flags, { config, output }) => {
      await auditCommand(config(), output, {
        accountId: optional(flags, 'account'),
        action: optional(flags, 'action'),
        since: optional(flags, 'since'),
        limit: optional(flags, 'limit'),
        json: flags.json === true,
      });
      return 0;
    },
  },
];
