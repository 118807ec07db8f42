/** Where the console lives on ingress; every route below starts here. */
export const BASE = '/console';

export const INSTANCE_TABS = [
  'overview',
  'integration',
  'qr-code',
  'messages',
  'queue',
  'templates',
] as const;
export type InstanceTab = (typeof INSTANCE_TABS)[number];

export function isInstanceTab(value: string | undefined): value is InstanceTab {
  return (INSTANCE_TABS as readonly string[]).includes(value ?? '');
}

/** The console's addresses, built in one place so links and routes agree. */
export const paths = {
  home: `${BASE}/`,
  instances: `${BASE}/instances`,
  instance: (id: string, tab: InstanceTab = 'overview'): string =>
    `${BASE}/instances/${encodeURIComponent(id)}${tab === 'overview' ? '' : `/${tab}`}`,
  apiKeys: `${BASE}/api-keys`,
  webhooks: `${BASE}/webhooks`,
  audit: `${BASE}/audit`,
  /** bull-board, outside the console, behind its own Basic-auth sign-in. */
  queueDashboard: '/admin/queues',
} as const;
