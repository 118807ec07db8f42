import type { Direction, Principal } from '@telenexus/core';

/**
 * Which messages a key may read: what it sends (outgoing, `send_message`), what customers send to
 * the number (incoming, `receive_message`), or everything (`admin`, and `support`, whose staff
 * answer customers' questions about both).
 */
export function visibleDirections(principal: Principal): Direction[] {
  const all = principal.permissions.includes('admin') || principal.permissions.includes('support');
  const directions: Direction[] = [];
  if (all || principal.permissions.includes('send_message')) directions.push('outgoing');
  if (all || principal.permissions.includes('receive_message')) directions.push('incoming');
  return directions;
}
