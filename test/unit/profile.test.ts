import { describe, expect, test } from 'vitest';
import { DEFAULT_NOTIFICATION_PREFERENCES } from '../../domain/identity/notification-preferences.js';
import { profileDecider, vietnamDate } from '../../domain/identity/profile.js';
import type { ProfileEvent } from '../../domain/identity/profile-events.js';
import { scenario, testContext } from '../support/given-when-then.js';

const userId = 'u1';
// 2026-11-22T03:00:00Z is 10:00 on 22 November in Vietnam.
const profile = () => scenario(profileDecider, testContext({ actorId: userId }));
const update = (changes: Record<string, unknown>) => ({ type: 'UpdateProfile' as const, userId, changes });
const updated = (changes: Record<string, unknown>): ProfileEvent => ({
  type: 'ProfileUpdated',
  data: { userId, changes },
});

describe('profile', () => {
  test('records only the fields that change, trimmed, empty text as null, phone without spaces', () => {
    profile()
      .given([])
      .when(update({ name: '  Trần Thị Bình ', bio: '', address: ' 12 Lý Tự Trọng, Quận 1 ', phone: '091 234 5678' }))
      .thenEmits([
        updated({ name: 'Trần Thị Bình', bio: null, address: '12 Lý Tự Trọng, Quận 1', phone: '0912345678' }),
      ]);
    profile()
      .given([updated({ name: 'Bình', gender: 'female' })])
      .when(update({ name: 'Bình', gender: 'female', bio: 'Chủ nhà ở Quận 3' }))
      .thenEmits([updated({ bio: 'Chủ nhà ở Quận 3' })]);
    profile()
      .given([updated({ name: 'Bình' })])
      .when(update({ name: 'Bình' }))
      .thenEmits([]);
  });

  test('a field never set here is recorded even when cleared (sign-up may have set it)', () => {
    profile()
      .given([])
      .when(update({ phone: null }))
      .thenEmits([updated({ phone: null })]);
  });

  test('refuses bad input, naming the field', () => {
    profile()
      .given([])
      .when(update({ name: '   ' }))
      .thenFails('NAME_REQUIRED', 'name');
    profile()
      .given([])
      .when(update({ name: 'A\u0000B' }))
      .thenFails('FIELD_INVALID', 'name');
    profile()
      .given([])
      .when(update({ bio: 'x'.repeat(1001) }))
      .thenFails('FIELD_TOO_LONG', 'bio');
    profile()
      .given([])
      .when(update({ bio: 'x'.repeat(1000) }))
      .thenEmits([updated({ bio: 'x'.repeat(1000) })]);
    profile()
      .given([])
      .when(update({ address: 'đ'.repeat(301) }))
      .thenFails('FIELD_TOO_LONG', 'address');
    profile()
      .given([])
      .when(update({ gender: 'robot' }))
      .thenFails('GENDER_INVALID', 'gender');
    for (const phone of ['0212345678', '091234567', '+8491234567', '+1 555 123 4567', '09123456789']) {
      profile().given([]).when(update({ phone })).thenFails('PHONE_INVALID', 'phone');
    }
    profile()
      .given([])
      .when(update({ phone: '+84912345678' }))
      .thenEmits([updated({ phone: '+84912345678' })]);
  });

  test('date of birth: a real ISO date, at least 16 years before today in Vietnam', () => {
    expect(vietnamDate(new Date('2026-11-21T18:00:00Z'))).toBe('2026-11-22');
    for (const dateOfBirth of ['22/11/2000', '2000-02-30', '2000-13-01', '1899-12-31', 'hôm qua']) {
      profile().given([]).when(update({ dateOfBirth })).thenFails('DATE_INVALID', 'dateOfBirth');
    }
    profile()
      .given([])
      .when(update({ dateOfBirth: '2010-11-23' }))
      .thenFails('TOO_YOUNG', 'dateOfBirth');
    profile()
      .given([])
      .when(update({ dateOfBirth: '2010-11-22' }))
      .thenEmits([updated({ dateOfBirth: '2010-11-22' })]);
    profile()
      .given([])
      .when(update({ dateOfBirth: '2030-01-01' }))
      .thenFails('TOO_YOUNG', 'dateOfBirth');
  });

  test('avatar: a new key is recorded, the same key is not, null removes it', () => {
    const changed = (avatarKey: string | null): ProfileEvent => ({
      type: 'AvatarChanged',
      data: { userId, avatarKey },
    });
    profile()
      .given([])
      .when({ type: 'ChangeAvatar', userId, avatarKey: 'avatars/u1/a.webp' })
      .thenEmits([changed('avatars/u1/a.webp')]);
    profile()
      .given([changed('avatars/u1/a.webp')])
      .when({ type: 'ChangeAvatar', userId, avatarKey: 'avatars/u1/a.webp' })
      .thenEmits([]);
    profile()
      .given([changed('avatars/u1/a.webp')])
      .when({ type: 'ChangeAvatar', userId, avatarKey: null })
      .thenEmits([changed(null)]);
  });

  test('notification preferences: merged onto the current ones, recorded whole; security mail stays on', () => {
    const expected = structuredClone(DEFAULT_NOTIFICATION_PREFERENCES);
    expected.marketing.email = true;
    expected.booking.sms = true;
    const set = (preferences: Record<string, Record<string, unknown>>) => ({
      type: 'SetNotificationPreferences' as const,
      userId,
      preferences,
    });
    profile()
      .given([])
      .when(set({ marketing: { email: true }, booking: { sms: true } }))
      .thenEmits([{ type: 'NotificationPreferencesChanged', data: { userId, preferences: expected } }]);
    profile()
      .given([{ type: 'NotificationPreferencesChanged', data: { userId, preferences: expected } }])
      .when(set({ marketing: { email: true } }))
      .thenEmits([]);
    profile()
      .given([])
      .when(set({ 'account.security': { email: false } }))
      .thenFails('NOTIFICATION_MANDATORY', 'preferences.account.security.email');
    profile()
      .given([])
      .when(set({ 'account.security': { sms: true, app: false } }))
      .thenEmits([
        {
          type: 'NotificationPreferencesChanged',
          data: {
            userId,
            preferences: {
              ...DEFAULT_NOTIFICATION_PREFERENCES,
              'account.security': { app: false, email: true, telegram: false, sms: true },
            },
          },
        },
      ]);
    profile()
      .given([])
      .when(set({ spam: { app: true } }))
      .thenFails('NOTIFICATION_TYPE_UNKNOWN', 'preferences.spam');
    profile()
      .given([])
      .when(set({ booking: { pigeon: true } }))
      .thenFails('NOTIFICATION_CHANNEL_UNKNOWN', 'preferences.booking.pigeon');
    profile()
      .given([])
      .when(set({ booking: { sms: 'yes' } }))
      .thenFails('NOTIFICATION_CHANNEL_UNKNOWN', 'preferences.booking.sms');
  });

  test('telegram: a chat is linked, relinking the same chat is nothing, another chat replaces it', () => {
    const link = (chatId: string, username: string | null = 'an_nguyen') => ({
      type: 'LinkTelegramChat' as const,
      userId,
      chatId,
      username,
    });
    const linked = (chatId: string, username: string | null = 'an_nguyen'): ProfileEvent => ({
      type: 'TelegramChatLinked',
      data: { userId, chatId, username },
    });
    profile()
      .given([])
      .when(link('123456789'))
      .thenEmits([linked('123456789')]);
    profile()
      .given([linked('123456789')])
      .when(link('123456789'))
      .thenEmits([]);
    profile()
      .given([linked('123456789')])
      .when(link('123456789', null))
      .thenEmits([linked('123456789', null)]);
    profile()
      .given([linked('123456789')])
      .when(link('987654321'))
      .thenEmits([linked('987654321')]);
    profile()
      .given([
        linked('123456789'),
        { type: 'TelegramChatUnlinked', data: { userId, chatId: '123456789', reason: 'user' } },
      ])
      .when(link('123456789'))
      .thenEmits([linked('123456789')]);
    for (const chatId of ['', 'abc', '0', '12.5', '@channel', '1'.repeat(17), '-']) {
      profile().given([]).when(link(chatId)).thenFails('TELEGRAM_CHAT_INVALID', 'chatId');
    }
    profile()
      .given([])
      .when(link('-100123'))
      .thenEmits([linked('-100123')]);
    profile().given([]).when(link('42', '@an')).thenFails('TELEGRAM_USERNAME_INVALID', 'username');
  });

  test('telegram: unlinking records the chat and why; with nothing linked it records nothing', () => {
    const linked: ProfileEvent = { type: 'TelegramChatLinked', data: { userId, chatId: '555', username: null } };
    profile()
      .given([linked])
      .when({ type: 'UnlinkTelegramChat', userId, reason: 'user' })
      .thenEmits([{ type: 'TelegramChatUnlinked', data: { userId, chatId: '555', reason: 'user' } }]);
    profile()
      .given([linked])
      .when({ type: 'UnlinkTelegramChat', userId, reason: 'bot_blocked' })
      .thenEmits([{ type: 'TelegramChatUnlinked', data: { userId, chatId: '555', reason: 'bot_blocked' } }]);
    profile()
      .given([linked, { type: 'TelegramChatUnlinked', data: { userId, chatId: '555', reason: 'user' } }])
      .when({ type: 'UnlinkTelegramChat', userId, reason: 'user' })
      .thenEmits([]);
    profile().given([]).when({ type: 'UnlinkTelegramChat', userId, reason: 'user' }).thenEmits([]);
    // A chat that blocked the bot unlinks only itself, not a chat linked since.
    profile()
      .given([linked])
      .when({ type: 'UnlinkTelegramChat', userId, reason: 'bot_blocked', chatId: '444' })
      .thenEmits([]);
    profile()
      .given([linked])
      .when({ type: 'UnlinkTelegramChat', userId, reason: 'bot_blocked', chatId: '555' })
      .thenEmits([{ type: 'TelegramChatUnlinked', data: { userId, chatId: '555', reason: 'bot_blocked' } }]);
    profile()
      .given([linked])
      .when({ type: 'UnlinkTelegramChat', userId, reason: 'bored' as 'user' })
      .thenFails('TELEGRAM_UNLINK_REASON_INVALID', 'reason');
  });
});
