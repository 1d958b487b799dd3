import type { Decider } from '../shared/decider.js';
import { conflict, DomainError, invalid } from '../shared/errors.js';
import {
  isNotificationKind,
  KIND_SPECS,
  NOTIFICATION_LOCALES,
  type NotificationLocale,
  TEMPLATE_CHANNELS,
  type TemplateChannel,
  variablesOf,
} from './catalog.js';
import { defaultTemplate, hasSubject, type TemplateText } from './default-templates.js';
import { type NotificationTemplateEvent, type TemplateKey, templateKeyOf } from './template-events.js';
import { templateTextProblem } from './template-text.js';

/** One key's current text; `customized` false means the built-in text is in force. */
export interface TemplateVersion extends TemplateText {
  customized: boolean;
  version: number;
}

export interface TemplatesState {
  byKey: Map<string, TemplateVersion>;
}

/** What a client asks for; kind, channel and locale arrive unchecked (route parameters). */
interface RawKey {
  kind: string;
  channel: string;
  locale: string;
}

export type TemplateCommand =
  | (RawKey & {
      type: 'CustomizeTemplate';
      subject?: string | null;
      body: string;
      /** The version the admin edited; a different current version is a conflict. */
      expectedVersion?: number;
    })
  | (RawKey & { type: 'ResetTemplate'; expectedVersion?: number });

/** Longest body per channel: Telegram allows 4096 characters after rendering, SMS stays short. */
export const BODY_LIMITS: Record<TemplateChannel, number> = { app: 1000, email: 10_000, telegram: 3500, sms: 320 };
export const SUBJECT_LIMIT = 200;

const clean = (text: string) => text.normalize('NFC').replace(/\r\n?/g, '\n').trim();

/** The key of a template from unchecked input, or why not (naming `type`, `channel` or `locale`). */
export function parseTemplateKey(raw: RawKey): DomainError | TemplateKey {
  if (!isNotificationKind(raw.kind) || KIND_SPECS[raw.kind].sentBy !== 'notifications') {
    return invalid('TEMPLATE_TYPE_UNKNOWN', `Loại thông báo không có mẫu: ${raw.kind}`, 'type');
  }
  if (!(TEMPLATE_CHANNELS as readonly string[]).includes(raw.channel)) {
    return invalid('TEMPLATE_CHANNEL_UNKNOWN', `Kênh không hợp lệ: ${raw.channel}`, 'channel');
  }
  if (!(NOTIFICATION_LOCALES as readonly string[]).includes(raw.locale)) {
    return invalid('TEMPLATE_LOCALE_UNKNOWN', `Ngôn ngữ không hợp lệ: ${raw.locale}`, 'locale');
  }
  return { kind: raw.kind, channel: raw.channel as TemplateChannel, locale: raw.locale as NotificationLocale };
}

/** The template in force for a key: the admin's text, else the built-in one. */
export function currentTemplate(state: TemplatesState, key: TemplateKey): TemplateVersion {
  const found = state.byKey.get(templateKeyOf(key));
  if (found?.customized) return found;
  const builtin = defaultTemplate(key.kind, key.channel, key.locale) ?? { subject: null, body: '' };
  return { ...builtin, customized: false, version: found?.version ?? 0 };
}

/**
 * Checks a template text for a key, naming the field at fault: an empty body, a missing or
 * multi-line subject where the channel has one, texts too long, and unknown `{{variables}}`.
 * Returns the cleaned text (subject null where the channel has none).
 */
export function checkTemplateText(
  key: TemplateKey,
  input: { subject?: string | null | undefined; body: string },
): TemplateText | DomainError {
  const allowed = variablesOf(key.kind);
  let subject: string | null = null;
  if (hasSubject(key.channel)) {
    subject = clean(input.subject ?? '');
    if (subject === '') return invalid('TEMPLATE_SUBJECT_REQUIRED', 'Vui lòng nhập tiêu đề', 'subject');
    if (subject.includes('\n') || subject.length > SUBJECT_LIMIT) {
      return invalid('TEMPLATE_SUBJECT_INVALID', `Tiêu đề một dòng, tối đa ${SUBJECT_LIMIT} ký tự`, 'subject');
    }
    const problem = templateTextProblem(subject, allowed, 'subject');
    if (problem) return problem;
  }
  const body = clean(input.body);
  if (body === '') return invalid('TEMPLATE_BODY_EMPTY', 'Nội dung mẫu không được để trống', 'body');
  const limit = BODY_LIMITS[key.channel];
  if (body.length > limit) {
    return invalid('TEMPLATE_BODY_TOO_LONG', `Nội dung tối đa ${limit} ký tự cho kênh ${key.channel}`, 'body');
  }
  return templateTextProblem(body, allowed, 'body') ?? { subject, body };
}

function staleProblem(expected: number | undefined, current: TemplateVersion): DomainError | null {
  if (expected === undefined || expected === current.version) return null;
  return conflict('TEMPLATE_VERSION_STALE', 'Mẫu vừa được người khác sửa; hãy tải lại', {
    currentVersion: current.version,
  });
}

function decide(command: TemplateCommand, state: TemplatesState): NotificationTemplateEvent[] | DomainError {
  const key = parseTemplateKey(command);
  if (key instanceof DomainError) return key;
  const current = currentTemplate(state, key);
  const stale = staleProblem(command.expectedVersion, current);
  if (stale) return stale;
  const version = current.version + 1;
  if (command.type === 'ResetTemplate') {
    return current.customized ? [{ type: 'NotificationTemplateReset', data: { ...key, version } }] : [];
  }
  const text = checkTemplateText(key, command);
  if (text instanceof DomainError) return text;
  if (text.subject === current.subject && text.body === current.body) return [];
  return [{ type: 'NotificationTemplateCustomized', data: { ...key, ...text, version } }];
}

/** Updates the state it owns (see Decider) and returns it. */
function evolve(state: TemplatesState, event: NotificationTemplateEvent): TemplatesState {
  const key = templateKeyOf(event.data);
  if (event.type === 'NotificationTemplateCustomized') {
    const { subject, body, version } = event.data;
    state.byKey.set(key, { subject, body, version, customized: true });
  } else {
    state.byKey.set(key, { subject: null, body: '', version: event.data.version, customized: false });
  }
  return state;
}

export const notificationTemplates: Decider<TemplateCommand, TemplatesState, NotificationTemplateEvent> = {
  initialState: () => ({ byKey: new Map() }),
  evolve,
  decide: (command, state) => decide(command, state),
};
