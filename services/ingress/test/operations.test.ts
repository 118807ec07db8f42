import request from 'supertest';
import { parseSamples, samplesOf, targetLabelCollisions } from '../../../test/support/prometheus-samples';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

const context = useIngress({ operator: { permissions: ['admin'] } });
let customerAdmin: Tenant;
let sender: Tenant;

beforeAll(async () => {
  customerAdmin = await createTenant(context.db, { permissions: ['admin'] });
  sender = await createTenant(context.db, { permissions: ['send_message'] });
});

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function sendOne(): Promise<string> {
  const response = await request(context.ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${sender.instance.id}`)
    .set('Authorization', `Bearer ${sender.apiKey}`)
    .send({
      phone_number: '254712345678',
      customer_name: 'Dashboard Case',
      amount: 10,
      currency: 'KES',
      invoice_id: `OPS-${Date.now()}`,
      message_type: 'invoice',
    });
  return response.body.message_id as string;
}

describe('Queue dashboard', () => {
  it('When nobody has signed in, then /admin/queues asks for a login and shows nothing', async () => {
    const response = await request(context.ingress.app).get('/admin/queues');
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm="Telenexus queues"/);
    expect(response.text).not.toMatch(/notifications/);
  });

  it('When a key without admin or wrong credentials are given, then it still refuses', async () => {
    expect(
      (
        await request(context.ingress.app)
          .get('/admin/queues')
          .set('Authorization', basic('x', sender.apiKey))
      ).status,
    ).toBe(401);
    expect(
      (await request(context.ingress.app).get('/admin/queues').set('Authorization', basic('ops', 'wrong')))
        .status,
    ).toBe(401);
  });

  it("When a customer's admin key is given, then it is refused: the dashboard shows every account's jobs", async () => {
    const response = await request(context.ingress.app)
      .get('/admin/queues')
      .set('Authorization', basic('x', customerAdmin.apiKey));
    expect(response.status).toBe(401);
    expect(response.body).toEqual(
      problem('unauthenticated', "Sign in with the operator's dashboard credentials"),
    );
  });

  it("When signed in with the operator's admin key or credentials, then the queues show, with ids only and a link to each message", async () => {
    const messageId = await sendOne();
    for (const authorization of [
      basic('admin', context.operator.apiKey),
      basic('ops', 'correct horse battery staple'),
      `Bearer ${context.operator.apiKey}`,
    ]) {
      const page = await request(context.ingress.app)
        .get('/admin/queues/')
        .set('Authorization', authorization);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/<html/i);
    }
    const api = await request(context.ingress.app)
      .get('/admin/queues/api/queues?activeQueue=notifications&status=waiting&page=1')
      .set('Authorization', basic('admin', context.operator.apiKey));
    expect(api.status).toBe(200);
    const queue = api.body.queues.find((candidate: { name: string }) => candidate.name === 'notifications');
    expect(queue.readOnlyMode).toBe(true);
    const job = queue.jobs.find((candidate: { id: string }) => candidate.id === messageId);
    expect(job.data).toEqual({ messageId });
    expect(job.externalUrl).toEqual({ displayText: 'Message', href: `/api/v1/messages/${messageId}` });
    expect(JSON.stringify(api.body)).not.toContain('254712345678');
  });
});

describe('Metrics', () => {
  it('When the API port is asked for /metrics, then no route answers: metrics are served on METRICS_PORT only', async () => {
    const onApiPort = await request(context.ingress.app).get('/metrics');
    expect(onApiPort.status).toBe(404);
    expect(onApiPort.body.code).toBe('route_not_found');
    expect(onApiPort.text).not.toContain('telenexus_');
    expect((await request(context.ingress.metricsApp).get('/healthz')).status).toBe(404);
  });

  it('When /metrics is scraped, then it has HTTP requests by route, queue states and the backlog, overall and per instance', async () => {
    await sendOne();
    const metrics = await request(context.ingress.metricsApp).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(
      /telenexus_http_requests_total\{method="POST",route="\/api\/v1\/billing\/send-notification",status="200"\} \d+/,
    );
    expect(metrics.text).toMatch(
      /telenexus_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/billing\/send-notification",status="200"\} [1-9]/,
    );
    expect(metrics.text).toMatch(/telenexus_queue_jobs\{queue="notifications",state="waiting"\} [1-9]\d*/);
    expect(metrics.text).toMatch(/telenexus_queue_backlog\{queue="notifications"\} [1-9]\d*/);
    expect(metrics.text).toContain(`telenexus_instance_backlog{instance_id="${sender.instance.id}"}`);
  });

  it("When /metrics is scraped, then Node's default metrics keep their standard names, the version is on telenexus_build_info alone, and no label name is one Prometheus sets on the target", async () => {
    await sendOne();
    const metrics = await request(context.ingress.metricsApp).get('/metrics');
    const samples = parseSamples(metrics.text);
    const names = new Set(samples.map((sample) => sample.name));
    expect(names).toContain('process_resident_memory_bytes');
    expect(names).toContain('nodejs_eventloop_lag_seconds');
    expect(samplesOf(samples, 'telenexus_build_info')).toEqual([
      { name: 'telenexus_build_info', labels: { version: 'test', component: 'ingress' }, value: 1 },
    ]);
    expect(
      samples.filter(
        (sample) =>
          sample.name.startsWith('telenexus_') &&
          sample.name !== 'telenexus_build_info' &&
          'version' in sample.labels,
      ),
    ).toEqual([]);
    expect(targetLabelCollisions(samples)).toEqual([]);
  });
});
