import { FaultInjector } from './fault-injector';

describe('FaultInjector', () => {
  it('When faults are queued, then sends consume them first in, first out', () => {
    const injector = new FaultInjector(() => 0);
    injector.enqueue([{ kind: 'http500' }, { kind: 'rateLimit429', retryAfterSeconds: 3 }]);
    expect(injector.next('a')).toEqual({ kind: 'http500' });
    expect(injector.next('a')).toEqual({ kind: 'rateLimit429', retryAfterSeconds: 3 });
    expect(injector.next('a')).toBeUndefined();
  });

  it('When a fault targets an instance, then sends to other instances pass it by', () => {
    const injector = new FaultInjector(() => 0);
    injector.enqueue([{ kind: 'acceptThenReset', instance: 'b' }, { kind: 'http500' }]);
    expect(injector.next('a')).toEqual({ kind: 'http500' });
    expect(injector.next('a')).toBeUndefined();
    expect(injector.next('b')).toEqual({ kind: 'acceptThenReset', instance: 'b' });
  });

  it('When no probability is set, then random is never called', () => {
    const random = jest.fn(() => 0);
    expect(new FaultInjector(random).next('a')).toBeUndefined();
    expect(random).not.toHaveBeenCalled();
  });

  it('When probabilities are set, then one roll picks a kind by cumulative chance', () => {
    const rolls = [0.05, 0.25, 0.9];
    const injector = new FaultInjector(() => rolls.shift() ?? 1);
    injector.setProbabilities({ http500: 0.1, notOnWhatsApp: 0.2 });
    expect(injector.next('a')).toEqual({ kind: 'http500' });
    expect(injector.next('a')).toEqual({ kind: 'notOnWhatsApp' });
    expect(injector.next('a')).toBeUndefined();
  });

  it('When cleared, then neither queue nor probabilities remain', () => {
    const injector = new FaultInjector(() => 0);
    injector.enqueue([{ kind: 'http500' }]);
    injector.setProbabilities({ http500: 1 });
    injector.clear();
    expect(injector.snapshot()).toEqual({ queue: [], probabilities: {} });
    expect(injector.next('a')).toBeUndefined();
  });
});
