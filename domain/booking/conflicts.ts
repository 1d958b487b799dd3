/** Time a provider is taken: a booking or an unexpired hold, with the buffers it was booked with. */
export interface Busy {
  start: Date;
  end: Date;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  kind: 'booking' | 'hold';
  id: string;
}

export interface Candidate {
  start: Date;
  end: Date;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

const MINUTE_MS = 60_000;

/**
 * Do two spans collide? Each one's buffered span `[start − before, end + after)` must stay clear
 * of the other's own `[start, end)`; so a 15-minute travel buffer after one booking keeps the
 * next from starting sooner, whichever of the two carries it. Symmetric in its arguments.
 */
export function collides(a: Candidate, b: Candidate): boolean {
  const [aStart, aEnd, bStart, bEnd] = [a.start.getTime(), a.end.getTime(), b.start.getTime(), b.end.getTime()];
  const aBufferedHitsB =
    aStart - a.bufferBeforeMinutes * MINUTE_MS < bEnd && bStart < aEnd + a.bufferAfterMinutes * MINUTE_MS;
  const bBufferedHitsA =
    bStart - b.bufferBeforeMinutes * MINUTE_MS < aEnd && aStart < bEnd + b.bufferAfterMinutes * MINUTE_MS;
  return aBufferedHitsB || bBufferedHitsA;
}

/** The first busy entry the candidate collides with, or null. */
export function conflictWith(candidate: Candidate, busy: readonly Busy[]): Busy | null {
  return busy.find((entry) => collides(candidate, entry)) ?? null;
}

/**
 * The span a busy entry blocks for slot starts and ends when slots carry `before`/`after` buffers:
 * a slot `[start, end)` collides with the entry exactly when it overlaps this span (the union of
 * the two conditions of `collides`, which share the entry's own `[start, end)`).
 */
export function blockedSpan(entry: Busy, before: number, after: number): { start: number; end: number } {
  return {
    start: entry.start.getTime() - Math.max(after, entry.bufferBeforeMinutes) * MINUTE_MS,
    end: entry.end.getTime() + Math.max(before, entry.bufferAfterMinutes) * MINUTE_MS,
  };
}
