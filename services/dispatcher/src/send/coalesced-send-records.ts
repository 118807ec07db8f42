import type { RecordedSend } from '@telenexus/db';

/** Where sends are recorded, many in one go (`MessageStatusRepository.recordSends`). */
export interface SendRecordStore {
  recordSends(sends: readonly RecordedSend[]): Promise<void>;
}

interface Waiting {
  readonly send: RecordedSend;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the sends Evolution accepted. A send recorded while none is being recorded is
 * recorded at once, on its own; sends of other jobs that Evolution answers meanwhile wait for that
 * and are then recorded together, in two statements whatever their number, each caller answered
 * once its own send committed. Under load a group forms for every record in flight; an idle
 * dispatcher adds no wait.
 *
 * A failure fails the whole group; each caller retries its own send (the step is a compare-and-set,
 * so one recorded already is left as it is).
 */
export class CoalescedSendRecords {
  private readonly waiting: Waiting[] = [];
  private recording = false;

  constructor(
    private readonly store: SendRecordStore,
    /** Sends recorded together at most; more wait for the next group. */
    private readonly maxGroup = 100,
  ) {}

  record(send: RecordedSend): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ send, resolve, reject });
      if (!this.recording) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.recording = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.maxGroup);
      try {
        await this.store.recordSends(group.map((waiting) => waiting.send));
        for (const waiting of group) waiting.resolve();
      } catch (error) {
        for (const waiting of group) waiting.reject(error);
      }
    }
    this.recording = false;
  }
}
