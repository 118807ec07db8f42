import { createEvolutionSandbox, type EvolutionSandbox } from '../../src';

/**
 * A sandbox that acknowledges and reads nothing by itself and keeps each QR code for the whole
 * test: connection and pairing move only when the test moves them.
 */
export function createPairingSandbox(globalApiKey: string): EvolutionSandbox {
  return createEvolutionSandbox({
    globalApiKey,
    serverAckMs: null,
    deliveryAckMs: null,
    readMs: null,
    qrRotationMs: 600_000,
  });
}
