import { z } from 'zod';
import { addDays } from '../../domain/booking/shift-calendar.js';
import { WEEKDAYS } from '../../domain/booking/shift-events.js';
import { SHIFT_LIMITS } from '../../domain/booking/shift-rules.js';
import { invalid } from '../../domain/shared/errors.js';

/** Request and response shapes of the shift routes (api/routes/shifts.ts). */
export const time = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Giờ có dạng HH:mm (00:00–24:00)');
export const localDate = z.iso.date('Ngày có dạng YYYY-MM-DD');
const areaIds = z.array(z.string().min(1).max(64)).max(SHIFT_LIMITS.areas);
const nonEmpty = { message: 'Không có gì để thay đổi' };

export const shiftBody = z.object({ date: localDate, start: time, end: time, areaIds: areaIds.default([]) });
export const shiftPatch = z
  .object({ date: localDate, start: time, end: time, areaIds })
  .partial()
  .refine((body) => Object.keys(body).length > 0, nonEmpty);

export const weeklyBody = z.object({
  weekdays: z.array(z.enum(WEEKDAYS)).min(1).max(7),
  start: time,
  end: time,
  from: localDate,
  until: localDate.nullable().default(null),
  areaIds: areaIds.default([]),
});
export const weeklyPatch = z
  .object({ start: time, end: time, areaIds, until: localDate.nullable() })
  .partial()
  .refine((body) => Object.keys(body).length > 0, nonEmpty);

export const shiftParams = z.object({ staffId: z.uuid().optional(), id: z.uuid() });
export const exceptionParams = shiftParams.extend({ date: localDate });
export const staffParams = z.object({ staffId: z.uuid().optional() });

/** Calendars ask for at most this many days at once. */
export const MAX_RANGE_DAYS = 62;
export const rangeQuery = z.object({ from: localDate, to: localDate });

export function checkRange({ from, to }: { from: string; to: string }) {
  if (to < from) throw invalid('RANGE_INVALID', 'Ngày kết thúc phải từ ngày bắt đầu trở đi', 'to');
  if (addDays(from, MAX_RANGE_DAYS - 1) < to) {
    throw invalid('RANGE_TOO_LONG', `Tối đa ${MAX_RANGE_DAYS} ngày mỗi lần xem`, 'to');
  }
}

export const shiftView = z.object({
  id: z.string(),
  date: z.string(),
  start: z.string(),
  end: z.string(),
  areaIds: z.array(z.string()),
});
export const weeklyView = z.object({
  id: z.string(),
  weekdays: z.array(z.string()),
  start: z.string(),
  end: z.string(),
  from: z.string(),
  until: z.string().nullable(),
  areaIds: z.array(z.string()),
  exceptDates: z.array(z.string()),
});
export const occurrenceView = z.object({
  shiftId: z.string(),
  weekly: z.boolean(),
  staffId: z.string(),
  date: z.string(),
  start: z.string(),
  end: z.string(),
  startAt: z.date(),
  endAt: z.date(),
  areaIds: z.array(z.string()),
});
export const rosterView = z.object({
  staffId: z.string(),
  displayName: z.string(),
  profileAreaIds: z.array(z.string()),
  shifts: z.array(shiftView),
  weekly: z.array(weeklyView),
});
