import { DomainError, invalid, notFound } from '../shared/errors.js';
import { validateSchedule } from './availability.js';
import type { ExpertEvent } from './expert-events.js';
import type { DateOverride, OffTime, ProviderSchedule, RecurringOffTime, RecurringRule } from './schedule.js';

/** The expert's availability commands: each builds the next schedule, which must pass `validateSchedule`. */
export type ExpertScheduleCommand = { expertId: string } & (
  | { type: 'ReplaceExpertWeeklyRules'; rules: RecurringRule[] }
  | { type: 'SetExpertDateOverride'; override: DateOverride }
  | { type: 'RemoveExpertDateOverride'; date: string }
  | { type: 'AddExpertOffTime'; offTime: OffTime }
  | { type: 'RemoveExpertOffTime'; offTimeId: string }
  | { type: 'AddExpertRecurringOffTime'; recurringOffTime: RecurringOffTime }
  | { type: 'RemoveExpertRecurringOffTime'; recurringOffTimeId: string }
);

export const SCHEDULE_LIMITS = { rules: 50, overrides: 400, offTimes: 300, recurringOffTimes: 100 } as const;

const tooMany = (field: string, max: number) =>
  new DomainError('conflict', 'SCHEDULE_LIMIT', `Tối đa ${max} mục`, { field });

/**
 * The schedule's own problem, its field named from the request's point of view: a command that
 * adds one item (`offTimes.3.end`) reports the field inside that item (`end`), the way its body
 * names it. The one place that calls the shared validator.
 */
export function scheduleProblem(
  schedule: ProviderSchedule,
  item?: { collection: 'overrides' | 'offTimes' | 'recurringOffTimes'; index: number },
): DomainError | null {
  const problem = validateSchedule(schedule);
  if (!problem) return null;
  let field = problem.field;
  const prefix = item && `${item.collection}.${item.index}.`;
  if (prefix && field.startsWith(prefix)) field = field.slice(prefix.length);
  return invalid(problem.code, problem.message, field);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function duplicateId(items: readonly { id: string }[], field: string): DomainError | null {
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    if (seen.has(item.id)) return invalid('DUPLICATE', `Mã "${item.id}" bị lặp lại`, `${field}.${index}.id`);
    seen.add(item.id);
  }
  return null;
}

export function decideSchedule(
  command: ExpertScheduleCommand,
  schedule: ProviderSchedule,
): ExpertEvent[] | DomainError {
  const { expertId } = command;
  switch (command.type) {
    case 'ReplaceExpertWeeklyRules': {
      if (command.rules.length > SCHEDULE_LIMITS.rules) return tooMany('rules', SCHEDULE_LIMITS.rules);
      const bad = duplicateId(command.rules, 'rules') ?? scheduleProblem({ ...schedule, rules: command.rules });
      if (bad) return bad;
      if (same(command.rules, schedule.rules)) return [];
      return [{ type: 'ExpertWeeklyRulesReplaced', data: { expertId, rules: command.rules } }];
    }
    case 'SetExpertDateOverride': {
      const { override } = command;
      const others = schedule.overrides.filter((o) => o.date !== override.date);
      if (others.length >= SCHEDULE_LIMITS.overrides) return tooMany('date', SCHEDULE_LIMITS.overrides);
      const overrides = [...others, override].sort((a, b) => a.date.localeCompare(b.date));
      const index = overrides.indexOf(override);
      const bad = scheduleProblem({ ...schedule, overrides }, { collection: 'overrides', index });
      if (bad) return bad;
      if (same(schedule.overrides.find((o) => o.date === override.date) ?? null, override)) return [];
      return [{ type: 'ExpertDateOverrideSet', data: { expertId, override } }];
    }
    case 'RemoveExpertDateOverride':
      if (!schedule.overrides.some((o) => o.date === command.date)) {
        return notFound('OVERRIDE_NOT_FOUND', `Không có lịch riêng cho ngày ${command.date}`);
      }
      return [{ type: 'ExpertDateOverrideRemoved', data: { expertId, date: command.date } }];
    case 'AddExpertOffTime': {
      const { offTime } = command;
      if (schedule.offTimes.length >= SCHEDULE_LIMITS.offTimes) return tooMany('start', SCHEDULE_LIMITS.offTimes);
      if (schedule.offTimes.some((o) => o.id === offTime.id)) return [];
      const offTimes = [...schedule.offTimes, offTime];
      const bad = scheduleProblem({ ...schedule, offTimes }, { collection: 'offTimes', index: offTimes.length - 1 });
      if (bad) return bad;
      return [{ type: 'ExpertOffTimeAdded', data: { expertId, offTime } }];
    }
    case 'RemoveExpertOffTime':
      if (!schedule.offTimes.some((o) => o.id === command.offTimeId)) {
        return notFound('OFF_TIME_NOT_FOUND', 'Không tìm thấy thời gian nghỉ');
      }
      return [{ type: 'ExpertOffTimeRemoved', data: { expertId, offTimeId: command.offTimeId } }];
    case 'AddExpertRecurringOffTime': {
      const { recurringOffTime } = command;
      const { recurringOffTimes: existing } = schedule;
      if (existing.length >= SCHEDULE_LIMITS.recurringOffTimes) {
        return tooMany('rrule', SCHEDULE_LIMITS.recurringOffTimes);
      }
      if (existing.some((o) => o.id === recurringOffTime.id)) return [];
      const recurringOffTimes = [...existing, recurringOffTime];
      const index = recurringOffTimes.length - 1;
      const bad = scheduleProblem({ ...schedule, recurringOffTimes }, { collection: 'recurringOffTimes', index });
      if (bad) return bad;
      return [{ type: 'ExpertRecurringOffTimeAdded', data: { expertId, recurringOffTime } }];
    }
    case 'RemoveExpertRecurringOffTime':
      if (!schedule.recurringOffTimes.some((o) => o.id === command.recurringOffTimeId)) {
        return notFound('OFF_TIME_NOT_FOUND', 'Không tìm thấy lịch nghỉ định kỳ');
      }
      return [
        {
          type: 'ExpertRecurringOffTimeRemoved',
          data: { expertId, recurringOffTimeId: command.recurringOffTimeId },
        },
      ];
  }
}

/** Folds an availability event into the schedule (a new object: the projection keeps the old one). */
export function evolveSchedule(schedule: ProviderSchedule, event: ExpertEvent): ProviderSchedule {
  switch (event.type) {
    case 'ExpertBookingSettingsChanged':
      return { ...schedule, timeZone: event.data.settings.timeZone };
    case 'ExpertWeeklyRulesReplaced':
      return { ...schedule, rules: event.data.rules };
    case 'ExpertDateOverrideSet': {
      const { override } = event.data;
      const overrides = [...schedule.overrides.filter((o) => o.date !== override.date), override];
      return { ...schedule, overrides: overrides.sort((a, b) => a.date.localeCompare(b.date)) };
    }
    case 'ExpertDateOverrideRemoved':
      return { ...schedule, overrides: schedule.overrides.filter((o) => o.date !== event.data.date) };
    case 'ExpertOffTimeAdded':
      return { ...schedule, offTimes: [...schedule.offTimes, event.data.offTime] };
    case 'ExpertOffTimeRemoved':
      return { ...schedule, offTimes: schedule.offTimes.filter((o) => o.id !== event.data.offTimeId) };
    case 'ExpertRecurringOffTimeAdded':
      return { ...schedule, recurringOffTimes: [...schedule.recurringOffTimes, event.data.recurringOffTime] };
    case 'ExpertRecurringOffTimeRemoved': {
      const id = event.data.recurringOffTimeId;
      return { ...schedule, recurringOffTimes: schedule.recurringOffTimes.filter((o) => o.id !== id) };
    }
    default:
      return schedule;
  }
}
