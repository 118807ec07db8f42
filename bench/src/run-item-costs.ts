import { dedupeKey, normalizePhoneNumber, renderNotification } from '@telenexus/core';
import { notificationBodySchema, notificationContent, validate } from '@telenexus/ingress';
import { notificationBody } from './notification-bodies';

/*
 * `npm run bench:items`: what each step the integration guide's contract asks of every notification
 * costs on its own, in one process, in microseconds per item — the work a batch item does that the
 * bare route (parse, INSERT, addBulk) does not. docs/benchmarks.md sets these against the batch
 * target: together they are a floor under ingress's CPU per item, whatever else is made leaner.
 */

const ITEMS = 100_000;
const ROUNDS = 5;
const ACCOUNT_ID = '00000000-0000-4000-8000-000000000001';
const INSTANCE_ID = '00000000-0000-4000-8000-000000000002';

// Distinct numbers, more than normalizePhoneNumber remembers: every call parses, as a monthly run's do.
const bodies = Array.from({ length: ITEMS }, (_, index) => notificationBody('items', index));
const validated = bodies.map((body) => validate(notificationBodySchema, body, 'body'));

function microsecondsPerItem(step: (index: number) => unknown): number {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < ITEMS; index += 1) step(index);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000 / ITEMS);
  }
  return best;
}

const steps: [string, (index: number) => unknown][] = [
  [
    'Validate the body (Joi, with the unsafe-text scan)',
    (i) => validate(notificationBodySchema, bodies[i], 'body'),
  ],
  [
    'Normalise the number (libphonenumber, full metadata)',
    (i) => normalizePhoneNumber(bodies[i]!.phone_number, 'KE'),
  ],
  [
    'Dedupe key (SHA-256)',
    (i) =>
      dedupeKey({
        accountId: ACCOUNT_ID,
        instanceId: INSTANCE_ID,
        subject: bodies[i]!.invoice_id,
        messageType: bodies[i]!.message_type,
        phoneNumber: bodies[i]!.phone_number,
      }),
  ],
  ['Render the text', (i) => renderNotification(notificationContent(validated[i]!))],
];

let total = 0;
process.stdout.write(
  `Best of ${ROUNDS} rounds of ${ITEMS.toLocaleString('en-US')} distinct items, µs per item:\n\n`,
);
process.stdout.write('| Step | µs per item |\n| --- | ---: |\n');
for (const [name, step] of steps) {
  const cost = microsecondsPerItem(step);
  total += cost;
  process.stdout.write(`| ${name} | ${cost.toFixed(2)} |\n`);
}
process.stdout.write(`| **Together** | **${total.toFixed(2)}** |\n`);
