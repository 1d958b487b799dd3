// Days and times of the booking pages, always in the provider's time zone (Asia/Ho_Chi_Minh for
// viewings), whatever zone the browser is in.
import { locale } from '../locale.svelte';

const tag = () => (locale.lang === 'vi' ? 'vi-VN' : 'en-GB');
const DAY = 86_400_000;

/** `YYYY-MM-DD` of an instant in a time zone. */
export function dayKey(at: Date | number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export function addDays(key: string, days: number): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY).toISOString().slice(0, 10);
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return (
    Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(at / 1000) * 1000
  );
}

/** The instant a local day starts in a time zone. */
export function startOfDay(key: string, timeZone: string): Date {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - offsetAt(guess, timeZone);
  return new Date(guess - offsetAt(first, timeZone));
}

export function formatTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(tag(), { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  );
}

/** "Th 5, 12/03" style label of a local day. */
export function formatDay(key: string): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(tag(), { timeZone: 'UTC', weekday: 'short', day: '2-digit', month: '2-digit' }).format(
    Date.UTC(y, m - 1, d, 12),
  );
}

/** Date and time range of a booking: "12/03/2026 09:00–09:30". */
export function formatRange(start: string, end: string, timeZone: string): string {
  const date = new Intl.DateTimeFormat(tag(), { timeZone, dateStyle: 'medium' }).format(new Date(start));
  return `${date} ${formatTime(start, timeZone)}–${formatTime(end, timeZone)}`;
}

/** Whole minutes and seconds left until `deadline` (ms), never negative: "4:05". */
export function countdown(deadline: number, now: number): string {
  const left = Math.max(0, Math.ceil((deadline - now) / 1000));
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
}

/** An instant as date and time in a time zone (payment deadlines, created/updated). */
export function formatInstant(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(tag(), { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
