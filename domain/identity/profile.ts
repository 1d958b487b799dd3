import { type Decider, isDomainError } from '../shared/decider.js';
import { type DomainError, invalid } from '../shared/errors.js';
import {
  applyPreferencesPatch,
  copyPreferences,
  DEFAULT_NOTIFICATION_PREFERENCES,
  type NotificationPreferences,
  type NotificationPreferencesPatch,
  samePreferences,
} from './notification-preferences.js';
import {
  GENDERS,
  type Gender,
  PROFILE_FIELDS,
  type ProfileEvent,
  type ProfileFields,
  TELEGRAM_UNLINK_REASONS,
  type TelegramUnlinkReason,
} from './profile-events.js';

export interface ProfileState {
  /** Fields this stream has set; a field never set here is unknown (its value may come from sign-up). */
  fields: Partial<ProfileFields>;
  avatarKey: string | null;
  preferences: NotificationPreferences;
  /** The Telegram chat notifications go to; null when none is linked. */
  telegram: { chatId: string; username: string | null } | null;
}

export type ProfileCommand = { userId: string } & (
  | { type: 'UpdateProfile'; changes: Partial<Record<keyof ProfileFields, unknown>> }
  | { type: 'ChangeAvatar'; avatarKey: string | null }
  | { type: 'SetNotificationPreferences'; preferences: NotificationPreferencesPatch }
  | { type: 'LinkTelegramChat'; chatId: string; username: string | null }
  /** With `chatId`, only that chat is unlinked (a chat that blocked the bot must not unlink a newer one). */
  | { type: 'UnlinkTelegramChat'; reason: TelegramUnlinkReason; chatId?: string }
);

export const PROFILE_LIMITS = { name: 100, bio: 1000, address: 300, minimumAge: 16 } as const;
/** Vietnamese mobile numbers: +84 or 0, then a mobile prefix (3, 5, 7, 8, 9) and 8 digits. */
export const VIETNAMESE_PHONE = /^(\+84|0)(3|5|7|8|9)\d{8}$/;
/** Telegram chat ids are integers of at most 52 significant bits; usernames are letters, digits and _. */
const TELEGRAM_CHAT_ID = /^-?[1-9]\d{0,15}$/;
const TELEGRAM_USERNAME = /^[A-Za-z0-9_]{1,64}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Control characters other than line breaks and tabs (which a bio may hold). */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
const VIETNAM_OFFSET_MS = 7 * 3600_000; // Asia/Ho_Chi_Minh has no daylight saving time

const length = (text: string) => [...text].length;

/** Today's date in Vietnam (the business time zone), as `YYYY-MM-DD`. */
export const vietnamDate = (now: Date) => new Date(now.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);

type Check<T> = T | DomainError;

function text(field: keyof ProfileFields, value: unknown, max: number, multiline = false): Check<string | null> {
  if (value === null) return null;
  if (typeof value !== 'string') return invalid('FIELD_INVALID', `${field} phải là chuỗi`, field);
  const trimmed = value.trim();
  if (CONTROL.test(trimmed) || (!multiline && /[\r\n\t]/.test(trimmed))) {
    return invalid('FIELD_INVALID', `${field} chứa ký tự không hợp lệ`, field);
  }
  if (length(trimmed) > max) return invalid('FIELD_TOO_LONG', `${field} dài tối đa ${max} ký tự`, field);
  return trimmed === '' ? null : trimmed;
}

function dateOfBirth(value: unknown, now: Date): Check<string | null> {
  if (value === null) return null;
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  const [, y, m, d] = match ?? [];
  const date = new Date(`${value}T00:00:00Z`);
  if (!y || !m || !d || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    return invalid('DATE_INVALID', 'Ngày sinh phải có dạng YYYY-MM-DD', 'dateOfBirth');
  }
  if (Number(y) < 1900) return invalid('DATE_INVALID', 'Ngày sinh không hợp lệ', 'dateOfBirth');
  const sixteenth = `${String(Number(y) + PROFILE_LIMITS.minimumAge).padStart(4, '0')}-${m}-${d}`;
  if (sixteenth > vietnamDate(now)) {
    return invalid('TOO_YOUNG', `Người dùng phải từ ${PROFILE_LIMITS.minimumAge} tuổi trở lên`, 'dateOfBirth');
  }
  return value as string;
}

/** The changes made valid and normal (trimmed, empty → null, phone without spaces), or the first bad field. */
export function validateProfileChanges(
  changes: Partial<Record<keyof ProfileFields, unknown>>,
  now: Date,
): Check<Partial<ProfileFields>> {
  const valid: Partial<ProfileFields> = {};
  for (const field of PROFILE_FIELDS) {
    if (!(field in changes) || changes[field] === undefined) continue;
    const value = changes[field];
    switch (field) {
      case 'name': {
        const name = text('name', value, PROFILE_LIMITS.name);
        if (isDomainError(name)) return name;
        if (name === null) return invalid('NAME_REQUIRED', 'Họ tên không được để trống', 'name');
        valid.name = name;
        break;
      }
      case 'bio':
      case 'address': {
        const checked = text(field, value, PROFILE_LIMITS[field], field === 'bio');
        if (isDomainError(checked)) return checked;
        valid[field] = checked;
        break;
      }
      case 'gender':
        if (!(GENDERS as readonly unknown[]).includes(value)) {
          return invalid('GENDER_INVALID', `Giới tính phải là ${GENDERS.join(', ')}`, 'gender');
        }
        valid.gender = value as Gender;
        break;
      case 'dateOfBirth': {
        const checked = dateOfBirth(value, now);
        if (isDomainError(checked)) return checked;
        valid.dateOfBirth = checked;
        break;
      }
      case 'phone': {
        if (value === null || value === '') {
          valid.phone = null;
          break;
        }
        const phone = typeof value === 'string' ? value.replace(/[\s.-]/g, '') : '';
        if (!VIETNAMESE_PHONE.test(phone)) {
          return invalid('PHONE_INVALID', 'Số điện thoại Việt Nam không hợp lệ (ví dụ 0912345678)', 'phone');
        }
        valid.phone = phone;
        break;
      }
    }
  }
  return valid;
}

export const profileDecider: Decider<ProfileCommand, ProfileState, ProfileEvent> = {
  initialState: () => ({
    fields: {},
    avatarKey: null,
    preferences: copyPreferences(DEFAULT_NOTIFICATION_PREFERENCES),
    telegram: null,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'ProfileUpdated':
        return { ...state, fields: { ...state.fields, ...event.data.changes } };
      case 'AvatarChanged':
        return { ...state, avatarKey: event.data.avatarKey };
      case 'NotificationPreferencesChanged':
        return { ...state, preferences: copyPreferences(event.data.preferences) };
      case 'TelegramChatLinked':
        return { ...state, telegram: { chatId: event.data.chatId, username: event.data.username } };
      case 'TelegramChatUnlinked':
        return { ...state, telegram: null };
      default:
        return state;
    }
  },

  decide(command, state, context) {
    const { userId } = command;
    switch (command.type) {
      case 'UpdateProfile': {
        const valid = validateProfileChanges(command.changes, context.now);
        if (isDomainError(valid)) return valid;
        const changes: Partial<ProfileFields> = {};
        for (const field of PROFILE_FIELDS) {
          if (!(field in valid)) continue;
          if (field in state.fields && state.fields[field] === valid[field]) continue;
          Object.assign(changes, { [field]: valid[field] });
        }
        return Object.keys(changes).length === 0 ? [] : [{ type: 'ProfileUpdated', data: { userId, changes } }];
      }
      case 'ChangeAvatar':
        if (command.avatarKey === state.avatarKey) return [];
        return [{ type: 'AvatarChanged', data: { userId, avatarKey: command.avatarKey } }];
      case 'SetNotificationPreferences': {
        const preferences = applyPreferencesPatch(state.preferences, command.preferences);
        if (isDomainError(preferences)) return preferences;
        if (samePreferences(preferences, state.preferences)) return [];
        return [{ type: 'NotificationPreferencesChanged', data: { userId, preferences } }];
      }
      case 'LinkTelegramChat': {
        const { chatId, username } = command;
        if (!TELEGRAM_CHAT_ID.test(chatId))
          return invalid('TELEGRAM_CHAT_INVALID', 'Mã cuộc trò chuyện Telegram không hợp lệ', 'chatId');
        if (username !== null && !TELEGRAM_USERNAME.test(username)) {
          return invalid('TELEGRAM_USERNAME_INVALID', 'Tên người dùng Telegram không hợp lệ', 'username');
        }
        if (state.telegram?.chatId === chatId && state.telegram.username === username) return [];
        return [{ type: 'TelegramChatLinked', data: { userId, chatId, username } }];
      }
      case 'UnlinkTelegramChat': {
        if (!(TELEGRAM_UNLINK_REASONS as readonly string[]).includes(command.reason)) {
          return invalid(
            'TELEGRAM_UNLINK_REASON_INVALID',
            `Lý do phải là ${TELEGRAM_UNLINK_REASONS.join(', ')}`,
            'reason',
          );
        }
        if (state.telegram === null) return [];
        if (command.chatId !== undefined && command.chatId !== state.telegram.chatId) return [];
        return [
          { type: 'TelegramChatUnlinked', data: { userId, chatId: state.telegram.chatId, reason: command.reason } },
        ];
      }
    }
  },
};
