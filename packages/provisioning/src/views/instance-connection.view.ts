import type { InstanceConnection as InstanceConnectionView } from '@telenexus/api-contract';
import type { InstanceConnectionStatus } from '../instance-connections';

/** An instance's connection as the QR Code tab shows it. */
export function toInstanceConnectionView(status: InstanceConnectionStatus): InstanceConnectionView {
  return {
    state: status.state,
    qr: status.qr && {
      image: status.qr.image,
      code: status.qr.code,
      pairing_code: status.qr.pairingCode,
      count: status.qr.count,
    },
    events: status.events.map((event) => ({
      state: event.state,
      reason: event.reason,
      at: event.at.toISOString(),
    })),
  };
}
