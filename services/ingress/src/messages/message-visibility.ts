import type { Direction, Principal } from '@telenexus/core';

/**
 * Which messages a key may read: what it sends (outgoing, `send_message`), what customers send to
 * the number (incoming, `receive_message`), or everything (`admin`).
 */
export function visibleDirections(principal: Principal): Direction[] {
  const admin = principal.permissions.includes('admin');
  const directions: Direction[] = [];
  if (admin || principal.permissions.includes('send_message')) directions.push('outgoing');
  if (admin || principal.permissions.includes('receive_message')) directions.push('incoming');
  return directions;
}
