import { randomUUID } from 'node:crypto';
import type { SendingWindow } from '@telenexus/core';
import type { RedisConnection } from './redis-connections';

/** How one instance spaces its sends. */
export interface PacingPolicy {
  /** Minimum time between two sends, in ms. */
  readonly minGapMs: number;
  /** A random extra of 0 to this many ms on every gap, so sends do not tick like a machine. */
  readonly jitterMs: number;
  /** Sends per local day, or null for no cap. */
  readonly dailyCap: number | null;
}

/**
 * Reserves the next free send slot of one instance, atomically across every dispatcher: the slot is
 * the later of now and the instance's next free time, moved into the first sending window (outside
 * quiet hours) whose local day still has room under the cap. The next free time then moves on by
 * the gap plus jitter. Returns -1 when no window in the given range has room.
 *
 * KEYS[1] next-free key; KEYS[2..] one counter per window day (same hash tag, so one cluster slot).
 * ARGV: now, spacing, cap (0 = none), ttl ms, then per window: start, end (its day is KEYS[i + 1]).
 */
const RESERVE_SLOT = `
local now = tonumber(ARGV[1])
local spacing = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
for i = 2, #KEYS do
  local window_start = tonumber(ARGV[3 + (i - 1) * 2])
  local window_end = tonumber(ARGV[4 + (i - 1) * 2])
  local candidate = math.max(slot, window_start)
  if candidate < window_end then
    local used = tonumber(redis.call('GET', KEYS[i]) or '0')
    if cap == 0 or used < cap then
      redis.call('INCR', KEYS[i])
      redis.call('PEXPIRE', KEYS[i], math.max(window_end - now, 0) + ttl)
      redis.call('SET', KEYS[1], candidate + spacing, 'PX', math.max(candidate + spacing - now, 0) + ttl)
      return candidate
    end
  end
end
return -1
`;

/**
 * Takes the instance's send turn: refused while another send is in flight (the lock), or until the
 * minimum gap has passed since the last send started — slots are planned, but a job woken late
 * must not bring the next send closer than the gap. A granted turn also moves the next free slot to
 * at least a gap after this send, so reservations made from now on follow the real pace.
 *
 * KEYS[1] lock, KEYS[2] last start, KEYS[3] next free slot. ARGV: token, now, gap, lock ttl.
 * Returns 0 when taken, -1 when refused.
 */
const TAKE_TURN = `
local now = tonumber(ARGV[2])
local gap = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if redis.call('EXISTS', KEYS[1]) == 1 or last + gap > now then return -1 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('SET', KEYS[2], now, 'PX', gap + ttl)
local next_free = tonumber(redis.call('GET', KEYS[3]) or '0')
if next_free < now + gap then redis.call('SET', KEYS[3], now + gap, 'PX', gap + ttl) end
return 0
`;

/**
 * Moves the instance's "last send started" to now, as the send actually leaves: the gap is kept
 * between the calls WhatsApp sees, not between turns (the claim in between takes a few ms).
 *
 * KEYS[1] last start, KEYS[2] next free slot. ARGV: now, gap, ttl.
 */
const MARK_SEND_START = `
local now = tonumber(ARGV[1])
local gap = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[1], now, 'PX', gap + ttl)
local next_free = tonumber(redis.call('GET', KEYS[2]) or '0')
if next_free < now + gap then redis.call('SET', KEYS[2], now + gap, 'PX', gap + ttl) end
return 0
`;

/** Deletes the lock only if we still hold it (it may have expired and been taken by another). */
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Planned on top of every gap: a job starts a little after its slot (timers, database time, a busy
 * machine), and without this margin the next job, woken on time, would find the gap not quite
 * passed and have to reserve again. A tenth of the gap, between 25 ms and half a second: 300 ms on
 * the default 3 s gap, which WhatsApp cannot tell from jitter.
 */
export function slotMargin(minGapMs: number): number {
  return Math.min(500, Math.max(25, Math.round(minGapMs / 10)));
}

/** Counters outlive their windows by this much, so a late reservation never finds them gone. */
const KEY_SLACK_MS = 2 * 24 * 3600 * 1000;

/** A held "one send in flight" lock; release it when the send is recorded. */
export interface InFlightLock {
  release(): Promise<void>;
}

/**
 * Per-instance pacing in Redis, shared by every dispatcher process: send slots reserved in order
 * (so a backlog is spread out once, not polled), and a lock so an instance never has two sends in
 * flight even when Evolution is slower than the gap.
 */
export class InstancePacer {
  constructor(
    private readonly redis: RedisConnection,
    private readonly namespace: string,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Reserves the instance's next send slot within the windows (see RESERVE_SLOT).
   *
   * @returns the slot as epoch ms, or undefined when every window is full.
   */
  async reserveSlot(
    instanceId: string,
    policy: PacingPolicy,
    windows: readonly SendingWindow[],
    nowMs: number,
  ): Promise<number | undefined> {
    if (windows.length === 0) return undefined;
    const paced = policy.minGapMs > 0 || policy.jitterMs > 0;
    const spacing = paced
      ? policy.minGapMs + Math.floor(this.random() * (policy.jitterMs + 1)) + slotMargin(policy.minGapMs)
      : 0;
    const keys = [
      this.key(instanceId, 'next'),
      ...windows.map((window) => this.key(instanceId, `day:${window.day}`)),
    ];
    const args = [
      nowMs,
      spacing,
      policy.dailyCap ?? 0,
      KEY_SLACK_MS,
      ...windows.flatMap((w) => [w.startMs, w.endMs]),
    ];
    const slot = Number(await this.redis.eval(RESERVE_SLOT, keys.length, ...keys, ...args));
    return slot < 0 ? undefined : slot;
  }

  /**
   * Takes the instance's send turn (see TAKE_TURN): the in-flight lock for up to `lockTtlMs`, granted
   * only when no send is in flight and `minGapMs` has passed since the last one started.
   *
   * @returns the lock, or undefined when the turn was refused (reserve a new slot and wait for it).
   */
  async takeTurn(
    instanceId: string,
    minGapMs: number,
    lockTtlMs: number,
    nowMs: number,
  ): Promise<InFlightLock | undefined> {
    const lockKey = this.key(instanceId, 'in-flight');
    const token = randomUUID();
    const keys = [lockKey, this.key(instanceId, 'last-start'), this.key(instanceId, 'next')];
    const answer = Number(
      await this.redis.eval(TAKE_TURN, keys.length, ...keys, token, nowMs, minGapMs, lockTtlMs),
    );
    if (answer !== 0) return undefined;
    return {
      release: async () => {
        await this.redis.eval(RELEASE_LOCK, 1, lockKey, token);
      },
    };
  }

  /** Records that the instance's send is leaving now (see MARK_SEND_START); call it holding the turn. */
  async markSendStart(instanceId: string, minGapMs: number, ttlMs: number, nowMs: number): Promise<void> {
    const keys = [this.key(instanceId, 'last-start'), this.key(instanceId, 'next')];
    await this.redis.eval(MARK_SEND_START, keys.length, ...keys, nowMs, minGapMs, ttlMs);
  }

  /** Sends counted for the instance's local day (for metrics and tests). */
  async sentOnDay(instanceId: string, day: string): Promise<number> {
    return Number((await this.redis.get(this.key(instanceId, `day:${day}`))) ?? 0);
  }

  private key(instanceId: string, part: string): string {
    // One hash tag per instance: every key a script touches lands in the same cluster slot.
    return `${this.namespace}:pace:{${instanceId}}:${part}`;
  }
}
