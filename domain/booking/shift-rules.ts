import { conflict, type DomainError, invalid, notFound } from '../shared/errors.js';
import type { LocalDate, LocalTime } from './schedule.js';
import { isLocalDate, minutesOf, TIME_PATTERN } from './shift-calendar.js';
import type { WeeklyShift } from './shift-events.js';

/** The shift decider's input checks; each refusal names the field of the API body. */
export const SHIFT_LIMITS = { areas: 100, exceptDates: 366 } as const;

type Times = { start: LocalTime; end: LocalTime };

export const datePast = (field: string) =>
  invalid('SHIFT_DATE_PAST', 'Không thể đăng ký hoặc sửa lịch cho ngày đã qua', field);
export const inPast = () => conflict('SHIFT_IN_PAST', 'Ca làm việc đã qua; không thể sửa hoặc xóa');
export const notFoundShift = () => notFound('SHIFT_NOT_FOUND', 'Không tìm thấy ca làm việc');

export function dateProblem(date: LocalDate, field: string, today: LocalDate): DomainError | null {
  if (!isLocalDate(date)) return invalid('SHIFT_DATE_INVALID', 'Ngày phải có dạng YYYY-MM-DD', field);
  return date < today ? datePast(field) : null;
}

export function timesProblem({ start, end }: Times): DomainError | null {
  if (!TIME_PATTERN.test(start) || start === '24:00') {
    return invalid('SHIFT_TIME_INVALID', 'Giờ bắt đầu phải có dạng HH:mm', 'start');
  }
  if (!TIME_PATTERN.test(end)) return invalid('SHIFT_TIME_INVALID', 'Giờ kết thúc phải có dạng HH:mm', 'end');
  if (minutesOf(end) <= minutesOf(start)) {
    return invalid('SHIFT_TIME_RANGE', 'Giờ kết thúc phải sau giờ bắt đầu (trong cùng một ngày)', 'end');
  }
  return null;
}

export const areasOf = (areaIds: string[]): string[] | DomainError => {
  const unique = [...new Set(areaIds)];
  if (unique.length > SHIFT_LIMITS.areas) {
    return invalid('TOO_MANY_AREAS', `Tối đa ${SHIFT_LIMITS.areas} khu vực`, 'areaIds');
  }
  return unique;
};

export const sameAreas = (a: string[], b: string[]) => a.length === b.length && a.every((id) => b.includes(id));

export function untilProblem(until: LocalDate, shift: WeeklyShift, earliest: LocalDate): DomainError | null {
  if (!isLocalDate(until)) return invalid('SHIFT_DATE_INVALID', 'Ngày phải có dạng YYYY-MM-DD', 'until');
  if (until < shift.from) {
    return invalid('SHIFT_UNTIL_BEFORE_FROM', 'Ngày kết thúc phải từ ngày bắt đầu trở đi', 'until');
  }
  return until < earliest ? datePast('until') : null;
}
