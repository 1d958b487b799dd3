// Sales staff shifts (/api/v1/me/shifts for the sales member, /api/v1/staff/:id/shifts for operators)
// and the week arithmetic of the shift calendar. Dates are Asia/Ho_Chi_Minh calendar dates.
import { API_BASE, apiGet, apiSend } from './api';

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const TIME_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export type Shift = { id: string; date: string; start: string; end: string; areaIds: string[] };
export type WeeklyShift = {
  id: string;
  weekdays: Weekday[];
  start: string;
  end: string;
  from: string;
  until: string | null;
  areaIds: string[];
  exceptDates: string[];
};
export type Occurrence = {
  shiftId: string;
  weekly: boolean;
  staffId: string;
  date: string;
  start: string;
  end: string;
  startAt: string;
  endAt: string;
  areaIds: string[];
};
export type RosterEntry = {
  staffId: string;
  displayName: string;
  profileAreaIds: string[];
  shifts: Shift[];
  weekly: WeeklyShift[];
};

/** What the week view hands the form: a one-off shift, or a weekly shift and the date clicked. */
export type ShiftSelection = { kind: 'once'; shift: Shift } | { kind: 'weekly'; shift: WeeklyShift; date: string };

export type NewShift = { date: string; start: string; end: string; areaIds: string[] };
export type NewWeeklyShift = {
  weekdays: Weekday[];
  start: string;
  end: string;
  from: string;
  until: string | null;
  areaIds: string[];
};

/** Whose shifts a calendar edits: the signed-in sales member's, or one staff member's (operators). */
export const shiftBase = (staffId: string | null) =>
  staffId === null ? `${API_BASE}/me` : `${API_BASE}/staff/${encodeURIComponent(staffId)}`;

export function shiftApi(base: string) {
  const one = (id: string) => `${base}/shifts/${encodeURIComponent(id)}`;
  const weekly = (id: string) => `${base}/weekly-shifts/${encodeURIComponent(id)}`;
  const exception = (id: string, date: string) => `${weekly(id)}/exceptions/${date}`;
  return {
    occurrences: (from: string, to: string) => apiGet<Occurrence[]>(`${base}/shifts?from=${from}&to=${to}`),
    weeklyShifts: (from?: string) => apiGet<WeeklyShift[]>(`${base}/weekly-shifts${from ? `?from=${from}` : ''}`),
    add: (input: NewShift) => apiSend<Shift>('POST', `${base}/shifts`, input),
    change: (id: string, patch: Partial<NewShift>) => apiSend<Shift>('PATCH', one(id), patch),
    remove: (id: string) => apiSend<null>('DELETE', one(id)),
    addWeekly: (input: NewWeeklyShift) => apiSend<WeeklyShift>('POST', `${base}/weekly-shifts`, input),
    changeWeekly: (id: string, patch: { start?: string; end?: string; areaIds?: string[]; until?: string | null }) =>
      apiSend<WeeklyShift>('PATCH', weekly(id), patch),
    removeWeekly: (id: string) => apiSend<null>('DELETE', weekly(id)),
    skipDate: (id: string, date: string) => apiSend<WeeklyShift>('POST', exception(id, date)),
    restoreDate: (id: string, date: string) => apiSend<WeeklyShift>('DELETE', exception(id, date)),
  };
}
export type ShiftApi = ReturnType<typeof shiftApi>;

export const salesRoster = (from: string) => apiGet<RosterEntry[]>(`${API_BASE}/shifts/roster?from=${from}`);

/** Today's date in the business time zone. */
export const todayLocal = () => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());

export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Monday = 0 … Sunday = 6. */
export const weekdayIndex = (date: string) => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
export const mondayOf = (date: string) => addDays(date, -weekdayIndex(date));
export const weekDates = (monday: string) => Array.from({ length: 7 }, (_, i) => addDays(monday, i));

export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
