import { randomUUID } from 'node:crypto';
import type { SendingWindow } from '@telenexus/core';
import type { RedisConnection } from '../redis-connections';

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
 * Reserves the next free send slots of one instance, one per spacing given, atomically across every
 * dispatcher and ingress. A slot given back (its message expired, was canceled or is held) is taken
 * first — at its own time, or now if that has passed, moved into a sending window whose day has
 * room; otherwise the slot is the later of now and the instance's next free time, moved into the
 * first sending window (outside quiet hours) whose local day still has room under the cap, and the
 * next free time moves on by that slot's spacing. Answers one slot per spacing, in order, -1 for
 * each that no window in the given range has room for.
 *
 * A paced instance's spacing also holds how long its last send took to be answered: the gap is
 * counted from the answer (see MARK_SEND_ANSWERED), so planning without it would put every slot a
 * little too early and have each job's turn refused.
 *
 * KEYS[1] next-free key; KEYS[2] last send's duration; KEYS[3] slots given back (a sorted set);
 * KEYS[4..] one counter per window day (one hash tag, so one cluster slot). ARGV: now, cap (0 =
 * none), ttl ms, longest duration counted, then per window: start, end (its day is KEYS[i + 3]),
 * then one spacing per slot wanted (0 for an unpaced instance).
 */
const RESERVE_SLOTS = `
local now = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local first_spacing = 5 + (#KEYS - 3) * 2
local function window_of(i)
  return tonumber(ARGV[5 + (i - 4) * 2]), tonumber(ARGV[6 + (i - 4) * 2])
end
local function take_unit(i, window_end)
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  if cap ~= 0 and used >= cap then return false end
  redis.call('INCR', KEYS[i])
  redis.call('PEXPIRE', KEYS[i], math.max(window_end - now, 0) + ttl)
  return true
end
local send_ms = math.min(tonumber(redis.call('GET', KEYS[2]) or '0'), tonumber(ARGV[4]))
local function reserve(spacing)
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '+inf', 'LIMIT', 0, 50)) do
    local hole = math.max(tonumber(member), now)
    for i = 4, #KEYS do
      local window_start, window_end = window_of(i)
      local candidate = math.max(hole, window_start)
      if candidate < window_end and take_unit(i, window_end) then
        redis.call('ZREM', KEYS[3], member)
        return candidate
      end
    end
  end
  if spacing > 0 then spacing = spacing + send_ms end
  local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
  for i = 4, #KEYS do
    local window_start, window_end = window_of(i)
    local candidate = math.max(slot, window_start)
    if candidate < window_end and take_unit(i, window_end) then
      redis.call('SET', KEYS[1], candidate + spacing, 'PX', math.max(candidate + spacing - now, 0) + ttl)
      return candidate
    end
  end
  return -1
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. (now - ttl))
local slots = {}
local full = false
for a = first_spacing, #ARGV do
  -- Once nothing fits, nothing after it can: the windows and the cap are the same for every slot.
  if not full then
    local slot = reserve(tonumber(ARGV[a]))
    full = slot < 0
    slots[#slots + 1] = slot
  else
    slots[#slots + 1] = -1
  end
end
return slots
`;

/**
 * Gives back a reserved slot whose message will not use it: its day's unit under the cap, and the
 * slot itself, which the next reservation takes first (at once, if its time has passed).
 *
 * KEYS[1] slots given back; KEYS[2] the slot's day counter. ARGV: slot, now, ttl.
 */
const GIVE_BACK = `
local slot = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
redis.call('ZADD', KEYS[1], slot, ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.max(redis.call('PTTL', KEYS[1]), slot - now + ttl))
return 0
`;

/**
 * Takes the instance's send turn: refused while another send is in flight (the lock), or until the
 * minimum gap has passed since the last send was answered. Slots are planned, but a job woken late
 * must not bring the next send closer than the gap. A granted turn also moves the next free slot to
 * at least a gap after this send, so reservations made from now on follow the real pace.
 *
 * A refused job also takes its place in the instance's line (KEYS[5]) when a line spacing is given:
 * its retry time is the later of that earliest time and the line's end, and the line moves on by
 * the spacing. Without the line, every job of an instance that fell behind its plan (its jobs woke
 * late behind a long queue) is told the same retry time, wakes with the others, and all but one
 * are refused again, a send at a time: a lagging instance with N jobs overdue would cost N wake-ups
 * per send instead of one.
 *
 * KEYS[1] lock, KEYS[2] last send, KEYS[3] next free slot, KEYS[4] last send's duration, KEYS[5]
 * the line's end. ARGV: token, now, gap, lock ttl, line spacing without the send's duration (0: no
 * line), longest duration counted. Returns 0 when taken; when refused, when to ask again: no
 * earlier than a gap after the last send was answered, or, while one is in flight, a gap after it
 * is expected to be answered (and never before now). A job refused again goes to the line's end.
 */
const TAKE_TURN = `
local now = tonumber(ARGV[2])
local gap = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local line_spacing = tonumber(ARGV[5])
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
local function refuse(earliest)
  if line_spacing <= 0 then return earliest end
  local spacing = line_spacing + math.min(tonumber(redis.call('GET', KEYS[4]) or '0'), tonumber(ARGV[6]))
  local at = math.max(earliest, tonumber(redis.call('GET', KEYS[5]) or '0'))
  redis.call('SET', KEYS[5], at + spacing, 'PX', math.max(at + spacing - now, 1) + ttl)
  return at
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return refuse(math.max(now, last + tonumber(redis.call('GET', KEYS[4]) or '0')) + gap)
end
if last + gap > now then return refuse(last + gap) end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('SET', KEYS[2], now, 'PX', gap + ttl)
local next_free = tonumber(redis.call('GET', KEYS[3]) or '0')
if next_free < now + gap then redis.call('SET', KEYS[3], now + gap, 'PX', gap + ttl) end
return 0
`;

/**
 * Moves the instance's "last send" to now, once Evolution has answered it, and keeps how long the
 * send took (from its turn) for planning. Counting the gap from the answer rather than from when the
 * call left keeps it between what WhatsApp receives: the previous send was received before its
 * answer came back, and the next one leaves a whole gap after that, however long either request
 * spent on the way.
 *
 * KEYS[1] last send, KEYS[2] next free slot, KEYS[3] last send's duration. ARGV: now, gap, ttl.
 */
const MARK_SEND_ANSWERED = `
local now = tonumber(ARGV[1])
local gap = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local turn = tonumber(redis.call('GET', KEYS[1]) or tostring(now))
redis.call('SET', KEYS[3], math.max(now - turn, 0), 'PX', ttl)
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
 * passed and have to wait for its turn again. A tenth of the gap, between 100 ms and half a second:
 * 300 ms on the default 3 s gap, which WhatsApp cannot tell from jitter.
 */
export function slotMargin(minGapMs: number): number {
  return Math.min(500, Math.max(100, Math.round(minGapMs / 10)));
}

/** Counters outlive their windows by this much, so a late reservation never finds them gone. */
const KEY_SLACK_MS = 2 * 24 * 3600 * 1000;

/** A held "one send in flight" lock; release it when the send is recorded. */
export interface InFlightLock {
  release(): Promise<void>;
}

/** The instance's send turn: taken with its lock, or refused until a time it could be granted. */
export type SendTurn =
  | { readonly taken: true; readonly lock: InFlightLock }
  | { readonly taken: false; readonly retryAtMs: number };

/** The longest send duration added to the planned spacing: a stuck call must not stretch a whole backlog. */
const LONGEST_COUNTED_SEND_MS = 10_000;

/** How long a measured send duration is kept for planning. */
const SEND_DURATION_TTL_MS = 24 * 3600 * 1000;

/** The pacer's scripts, as commands defined on its Redis connection. */
const PACER_SCRIPTS = {
  telenexusReserveSlots: RESERVE_SLOTS,
  telenexusTakeTurn: TAKE_TURN,
  telenexusReleaseLock: RELEASE_LOCK,
  telenexusMarkSendAnswered: MARK_SEND_ANSWERED,
  telenexusGiveBack: GIVE_BACK,
} as const;

type PacerScript = keyof typeof PACER_SCRIPTS;
type ScriptCommand = (
  this: RedisConnection,
  ...numberOfKeysKeysAndArgs: (string | number)[]
) => Promise<unknown>;

/** How an {@link InstancePacer} behaves beyond its defaults. */
export interface InstancePacerOptions {
  /**
   * Give each refused turn its own retry time, a spacing (the gap, the planning margin and the last
   * send's duration) after the previous refused one, rather than the same earliest time for all
   * (see TAKE_TURN). The dispatcher turns it on; off, a refusal answers the bare earliest time.
   */
  readonly lineRefusedTurns?: boolean;
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
    private readonly options: InstancePacerOptions = {},
  ) {
    // ioredis runs a defined command by its SHA1 (EVALSHA), sending the script itself only when
    // Redis does not know it yet: EVAL would ship and hash up to 2 KB of Lua on every send.
    for (const [name, lua] of Object.entries(PACER_SCRIPTS)) redis.defineCommand(name, { lua });
  }

  /** Runs one of the pacer's scripts; the key count goes first, as EVAL takes it. */
  private run(
    script: PacerScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    const command = (this.redis as unknown as Record<PacerScript, ScriptCommand>)[script];
    return command.call(this.redis, keys.length, ...keys, ...args);
  }

  /**
   * Reserves the instance's next send slot within the windows (see RESERVE_SLOTS).
   *
   * @returns the slot as epoch ms, or undefined when every window is full.
   */
  async reserveSlot(
    instanceId: string,
    policy: PacingPolicy,
    windows: readonly SendingWindow[],
    nowMs: number,
  ): Promise<number | undefined> {
    const [slot] = await this.reserveSlots(instanceId, policy, windows, nowMs, 1);
    return slot;
  }

  /**
   * Reserves the instance's next `count` send slots within the windows, in one round trip (see
   * RESERVE_SLOTS): what ingress does for the messages of a request it accepts.
   *
   * @returns the slots in order as epoch ms, undefined for each that no window had room for.
   */
  async reserveSlots(
    instanceId: string,
    policy: PacingPolicy,
    windows: readonly SendingWindow[],
    nowMs: number,
    count: number,
  ): Promise<(number | undefined)[]> {
    if (windows.length === 0 || count <= 0)
      return Array.from({ length: Math.max(count, 0) }, () => undefined);
    const paced = policy.minGapMs > 0 || policy.jitterMs > 0;
    const spacings = Array.from({ length: count }, () =>
      paced
        ? policy.minGapMs + Math.floor(this.random() * (policy.jitterMs + 1)) + slotMargin(policy.minGapMs)
        : 0,
    );
    const keys = [
      this.key(instanceId, 'next'),
      this.key(instanceId, 'send-ms'),
      this.key(instanceId, 'given-back'),
      ...windows.map((window) => this.key(instanceId, `day:${window.day}`)),
    ];
    const args = [
      nowMs,
      policy.dailyCap ?? 0,
      KEY_SLACK_MS,
      LONGEST_COUNTED_SEND_MS,
      ...windows.flatMap((w) => [w.startMs, w.endMs]),
      ...spacings,
    ];
    const slots = (await this.run('telenexusReserveSlots', keys, args)) as number[];
    return slots.map((slot) => (slot < 0 ? undefined : Number(slot)));
  }

  /**
   * Takes the instance's send turn (see TAKE_TURN): the in-flight lock for up to `lockTtlMs`, granted
   * only when no send is in flight and `minGapMs` has passed since the last one was answered.
   *
   * @returns the turn with its lock, or when to ask again: waiting keeps the job's place, where a
   *   new reservation would send it to the back of the instance's backlog.
   */
  async takeTurn(instanceId: string, minGapMs: number, lockTtlMs: number, nowMs: number): Promise<SendTurn> {
    const lockKey = this.key(instanceId, 'in-flight');
    const token = randomUUID();
    const keys = [
      lockKey,
      this.key(instanceId, 'last-send'),
      this.key(instanceId, 'next'),
      this.key(instanceId, 'send-ms'),
      this.key(instanceId, 'line'),
    ];
    // As RESERVE_SLOTS plans: the last send's duration is added in the script, where it is known.
    const lineSpacing = this.options.lineRefusedTurns ? minGapMs + slotMargin(minGapMs) : 0;
    const answer = Number(
      await this.run('telenexusTakeTurn', keys, [
        token,
        nowMs,
        minGapMs,
        lockTtlMs,
        lineSpacing,
        LONGEST_COUNTED_SEND_MS,
      ]),
    );
    if (answer !== 0) return { taken: false, retryAtMs: answer };
    const lock: InFlightLock = {
      release: async () => {
        await this.run('telenexusReleaseLock', [lockKey], [token]);
      },
    };
    return { taken: true, lock };
  }

  /** Records that Evolution answered the instance's send now (see MARK_SEND_ANSWERED); call it holding the turn. */
  async markSendAnswered(instanceId: string, minGapMs: number, ttlMs: number, nowMs: number): Promise<void> {
    const keys = [
      this.key(instanceId, 'last-send'),
      this.key(instanceId, 'next'),
      this.key(instanceId, 'send-ms'),
    ];
    await this.run('telenexusMarkSendAnswered', keys, [
      nowMs,
      minGapMs,
      Math.max(ttlMs, SEND_DURATION_TTL_MS),
    ]);
  }

  /**
   * Gives back a slot this instance reserved and will not use (see GIVE_BACK). Call it once per
   * reservation: the day's count goes down each time.
   *
   * @param day the instance's local day of the slot (`localDay`), whose cap unit it held.
   */
  async giveBack(instanceId: string, slotMs: number, day: string, nowMs: number): Promise<void> {
    const keys = [this.key(instanceId, 'given-back'), this.key(instanceId, `day:${day}`)];
    await this.run('telenexusGiveBack', keys, [slotMs, nowMs, KEY_SLACK_MS]);
  }

  /** Sends counted for the instance's local day (for metrics and tests). */
  async sentOnDay(instanceId: string, day: string): Promise<number> {
    return Number((await this.redis.get(this.key(instanceId, `day:${day}`))) ?? 0);
  }

  /**
   * What the instance's next reservation would find, read without changing anything (one
   * round trip): for estimating when messages accepted now will go out. The spacing is the mean of
   * what RESERVE_SLOTS plans: the gap, half the jitter, the margin and the last send's duration.
   *
   * @param days the local days (`YYYY-MM-DD`) whose reservations under the cap to read.
   */
  async readPosition(
    instanceId: string,
    policy: PacingPolicy,
    days: readonly string[],
    nowMs: number,
  ): Promise<PacerReading> {
    const dayKeys = days.map((day) => this.key(instanceId, `day:${day}`));
    const replies =
      (await this.redis
        .pipeline()
        .mget(this.key(instanceId, 'next'), this.key(instanceId, 'send-ms'), ...dayKeys)
        .zrangebyscore(this.key(instanceId, 'given-back'), nowMs, '+inf', 'LIMIT', 0, 50)
        .exec()) ?? [];
    const [valuesReply, givenBackReply] = replies;
    if (!valuesReply || valuesReply[0]) throw valuesReply?.[0] ?? new Error('no reply from Redis');
    if (!givenBackReply || givenBackReply[0]) throw givenBackReply?.[0] ?? new Error('no reply from Redis');
    const [next, sendMs, ...used] = valuesReply[1] as (string | null)[];
    const paced = policy.minGapMs > 0 || policy.jitterMs > 0;
    return {
      nextFreeMs: Number(next ?? 0),
      givenBackMs: (givenBackReply[1] as string[]).map(Number),
      reservedByDay: Object.fromEntries(days.map((day, index) => [day, Number(used[index] ?? 0)])),
      meanSpacingMs: paced
        ? policy.minGapMs +
          policy.jitterMs / 2 +
          slotMargin(policy.minGapMs) +
          Math.min(Number(sendMs ?? 0), LONGEST_COUNTED_SEND_MS)
        : 0,
    };
  }

  private key(instanceId: string, part: string): string {
    // One hash tag per instance: every key a script touches lands in the same cluster slot.
    return `${this.namespace}:pace:{${instanceId}}:${part}`;
  }
}

/** What {@link InstancePacer.readPosition} finds. */
export interface PacerReading {
  /** Where the next reservation starts (0: never reserved, or long ago). */
  readonly nextFreeMs: number;
  /** Slots given back that are still ahead, which reservations take first. */
  readonly givenBackMs: readonly number[];
  /** Units of each asked-for local day's cap already reserved. */
  readonly reservedByDay: Readonly<Record<string, number>>;
  /** The mean time a reservation now would leave before the next one; 0 for an unpaced instance. */
  readonly meanSpacingMs: number;
}
