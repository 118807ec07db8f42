export const DIRECTIONS = ['outgoing', 'incoming'] as const;

export type Direction = (typeof DIRECTIONS)[number];
