import { describe, expect, test } from 'vitest';
import {
  KIND_SPECS,
  NOTIFICATION_KINDS,
  NOTIFICATION_LOCALES,
  SAMPLE_VALUES,
  TEMPLATE_CHANNELS,
  TEMPLATED_KINDS,
  variablesOf,
} from '../../domain/notifications/catalog.js';
import { defaultTemplate } from '../../domain/notifications/default-templates.js';
import type { NotificationTemplateEvent } from '../../domain/notifications/template-events.js';
import { placeholdersOf, renderText, templateTextProblem } from '../../domain/notifications/template-text.js';
import { currentTemplate, notificationTemplates } from '../../domain/notifications/templates.js';
import { fold } from '../../domain/shared/decider.js';
import { scenario } from '../support/given-when-then.js';

const key = { kind: 'booking.confirmed', channel: 'email', locale: 'vi' } as const;
const customized = (
  version: number,
  body = 'Lịch {{start}} đã xác nhận',
  subject = 'Xác nhận',
): NotificationTemplateEvent => ({
  type: 'NotificationTemplateCustomized',
  data: { ...key, subject, body, version },
});
const reset = (version: number): NotificationTemplateEvent => ({
  type: 'NotificationTemplateReset',
  data: { ...key, version },
});
const customize = (text: { subject?: string | null; body: string; expectedVersion?: number }, k: object = key) => ({
  type: 'CustomizeTemplate' as const,
  ...(k as typeof key),
  ...text,
});
const templates = () => scenario(notificationTemplates);

describe('notification templates', () => {
  test('a first customization is version 1; each later change counts on, reset included', () => {
    templates()
      .given([])
      .when(customize({ subject: '  Đã xác nhận  ', body: 'Lịch {{ start }} tại {{place}}.\r\n' }))
      .thenEmits([
        {
          type: 'NotificationTemplateCustomized',
          data: { ...key, subject: 'Đã xác nhận', body: 'Lịch {{ start }} tại {{place}}.', version: 1 },
        },
      ]);
    templates()
      .given([customized(1)])
      .when(customize({ subject: 'Xác nhận', body: 'Khác: {{start}}' }))
      .thenEmits([customized(2, 'Khác: {{start}}')]);
    templates()
      .given([customized(1)])
      .when({ type: 'ResetTemplate', ...key })
      .thenEmits([reset(2)]);
    templates()
      .given([customized(1), reset(2)])
      .when(customize({ subject: 'Xác nhận', body: 'Lịch {{start}} đã xác nhận' }))
      .thenEmits([customized(3)]);
  });

  test('an unknown {{variable}} is refused, naming the field and the variable', () => {
    const inBody = templates()
      .given([])
      .when(customize({ subject: 'Xác nhận', body: 'Xin chào {{foo}}' }))
      .thenFails('TEMPLATE_VARIABLE_UNKNOWN', 'body');
    expect(inBody.status).toBe(400);
    expect(inBody.message).toContain('{{foo}}');
    expect(inBody.details).toMatchObject({ variable: 'foo' });
    templates()
      .given([])
      .when(customize({ subject: 'Chào {{customerName}}', body: 'Lịch {{start}}' }))
      .thenFails('TEMPLATE_VARIABLE_UNKNOWN', 'subject');
    // The same variable is fine where the kind has it.
    templates()
      .given([])
      .when(
        customize({ subject: 'Lịch mới', body: '{{customerName}} đặt lịch' }, { ...key, kind: 'booking.new_request' }),
      )
      .thenEmits([
        {
          type: 'NotificationTemplateCustomized',
          data: {
            ...key,
            kind: 'booking.new_request',
            subject: 'Lịch mới',
            body: '{{customerName}} đặt lịch',
            version: 1,
          },
        },
      ]);
  });

  test('braces that are no placeholder are refused', () => {
    for (const body of ['Lịch {{start}', 'Lịch {{ 1x }}', 'Lịch }} ', '{{start}} và {{']) {
      templates()
        .given([])
        .when(customize({ subject: 'S', body }))
        .thenFails('TEMPLATE_SYNTAX', 'body');
    }
  });

  test('an empty body is refused; email and app need a one-line subject; Telegram and SMS have none', () => {
    templates()
      .given([])
      .when(customize({ subject: 'S', body: '  \n ' }))
      .thenFails('TEMPLATE_BODY_EMPTY', 'body');
    templates()
      .given([])
      .when(customize({ body: 'Nội dung' }))
      .thenFails('TEMPLATE_SUBJECT_REQUIRED', 'subject');
    templates()
      .given([])
      .when(customize({ subject: 'Hai\ndòng', body: 'Nội dung' }))
      .thenFails('TEMPLATE_SUBJECT_INVALID', 'subject');
    templates()
      .given([])
      .when(customize({ subject: 'ignored', body: 'SMS {{start}}' }, { ...key, channel: 'sms' }))
      .thenEmits([
        {
          type: 'NotificationTemplateCustomized',
          data: { ...key, channel: 'sms', subject: null, body: 'SMS {{start}}', version: 1 },
        },
      ]);
    templates()
      .given([])
      .when(customize({ body: 'x'.repeat(321) }, { ...key, channel: 'sms' }))
      .thenFails('TEMPLATE_BODY_TOO_LONG', 'body');
  });

  test('unknown type, channel or locale are refused, naming the part; identity mail is not edited here', () => {
    templates()
      .given([])
      .when(customize({ subject: 'S', body: 'B' }, { ...key, kind: 'booking.nope' }))
      .thenFails('TEMPLATE_TYPE_UNKNOWN', 'type');
    templates()
      .given([])
      .when(customize({ subject: 'S', body: 'B' }, { ...key, kind: 'account.verification' }))
      .thenFails('TEMPLATE_TYPE_UNKNOWN', 'type');
    templates()
      .given([])
      .when(customize({ subject: 'S', body: 'B' }, { ...key, channel: 'fax' }))
      .thenFails('TEMPLATE_CHANNEL_UNKNOWN', 'channel');
    templates()
      .given([])
      .when(customize({ subject: 'S', body: 'B' }, { ...key, locale: 'fr' }))
      .thenFails('TEMPLATE_LOCALE_UNKNOWN', 'locale');
  });

  test('a stale expected version is a conflict; no change and resetting a default emit nothing', () => {
    const stale = templates()
      .given([customized(1)])
      .when(customize({ subject: 'Mới', body: 'Mới {{start}}', expectedVersion: 0 }))
      .thenFails('TEMPLATE_VERSION_STALE');
    expect(stale.status).toBe(409);
    expect(stale.details).toEqual({ currentVersion: 1 });
    templates()
      .given([customized(1)])
      .when(customize({ subject: 'Xác nhận', body: 'Lịch {{start}} đã xác nhận' }))
      .thenEmits([]);
    templates()
      .given([])
      .when({ type: 'ResetTemplate', ...key })
      .thenEmits([]);
    const builtin = defaultTemplate('booking.confirmed', 'email', 'vi');
    templates()
      .given([])
      .when(customize({ subject: builtin?.subject ?? '', body: builtin?.body ?? '' }))
      .thenEmits([]);
  });

  test('the template in force: customized text, or the built-in one with the version kept after a reset', () => {
    expect(currentTemplate(fold(notificationTemplates, [customized(1)]), key)).toMatchObject({
      body: 'Lịch {{start}} đã xác nhận',
      customized: true,
      version: 1,
    });
    const afterReset = currentTemplate(fold(notificationTemplates, [customized(1), reset(2)]), key);
    expect(afterReset).toMatchObject({
      ...defaultTemplate('booking.confirmed', 'email', 'vi'),
      customized: false,
      version: 2,
    });
  });

  test('every built-in template uses only its kind’s variables and renders without leftovers', () => {
    expect(TEMPLATED_KINDS.length).toBeGreaterThan(20);
    for (const kind of NOTIFICATION_KINDS) expect(KIND_SPECS[kind].category).toBeTruthy();
    for (const kind of TEMPLATED_KINDS) {
      for (const channel of TEMPLATE_CHANNELS) {
        for (const locale of NOTIFICATION_LOCALES) {
          const template = defaultTemplate(kind, channel, locale);
          expect(template, `${kind}/${channel}/${locale}`).not.toBeNull();
          for (const [field, text] of [
            ['subject', template?.subject ?? ''],
            ['body', template?.body ?? ''],
          ] as const) {
            expect(templateTextProblem(text, variablesOf(kind), field), `${kind}/${channel}/${locale}`).toBeNull();
            for (const name of placeholdersOf(text)) expect(SAMPLE_VALUES[name], name).toBeDefined();
            expect(renderText(text, SAMPLE_VALUES)).not.toMatch(/\{\{|\}\}/);
          }
        }
      }
    }
  });

  test('rendering fills each placeholder once and leaves values as they are', () => {
    expect(renderText('{{ a }}-{{b}}-{{a}}', { a: '{{b}}', b: 'x' })).toBe('{{b}}-x-{{b}}');
    expect(renderText('Xin chào {{name}}!', {})).toBe('Xin chào !');
  });
});
