/**
 * Moderation SLA (UC-OPER-01): a listing waits at most 4 working hours. Working hours are
 * Monday–Friday 08:00–17:00 in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving).
 */
export const MODERATION_SLA_HOURS = 4;
const OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
const OPEN_MS = 8 * 3_600_000;
const CLOSE_MS = 17 * 3_600_000;

/** Working hours between two instants (0 when `to` is not after `from`). */
export function workingHoursBetween(from: Date, to: Date): number {
  const start = from.getTime() + OFFSET_MS;
  const end = to.getTime() + OFFSET_MS;
  if (end <= start) return 0;
  let total = 0;
  for (let day = Math.floor(start / DAY_MS) * DAY_MS; day < end; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const open = Math.max(start, day + OPEN_MS);
    const close = Math.min(end, day + CLOSE_MS);
    if (close > open) total += close - open;
  }
  return total / 3_600_000;
}

export const slaBreached = (submittedAt: Date, now: Date) =>
  workingHoursBetween(submittedAt, now) > MODERATION_SLA_HOURS;
