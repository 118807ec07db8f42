import {
  DEFAULT_WEBHOOK_EVENT_TYPES,
  OPT_IN_WEBHOOK_EVENT_TYPES,
  SUBSCRIBABLE_WEBHOOK_EVENT_TYPES,
  WEBHOOK_EVENT_TYPES,
} from './webhook-event-type';

describe('Webhook event types', () => {
  it('When an endpoint names no events, then it gets every subscribable event but the opt-in ones', () => {
    expect(DEFAULT_WEBHOOK_EVENT_TYPES).toContain('message.received');
    expect(DEFAULT_WEBHOOK_EVENT_TYPES).not.toContain('message.queued');
    expect([...DEFAULT_WEBHOOK_EVENT_TYPES, ...OPT_IN_WEBHOOK_EVENT_TYPES].sort()).toEqual(
      [...SUBSCRIBABLE_WEBHOOK_EVENT_TYPES].sort(),
    );
  });

  it('When the subscribable events are listed, then every delivered event but endpoint.test is among them', () => {
    expect(
      WEBHOOK_EVENT_TYPES.filter((type) => !SUBSCRIBABLE_WEBHOOK_EVENT_TYPES.includes(type as never)),
    ).toEqual(['endpoint.test']);
  });
});
