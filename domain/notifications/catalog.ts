import type { NotificationType as PreferenceCategory } from '../identity/notification-preferences.js';

/**
 * Every kind of notification the platform sends: its preference category (what a person switches
 * on and off per channel, see identity/notification-preferences.ts), the variables its templates
 * may use, and what it links to. `sentBy: 'identity'` kinds are mailed by the identity commands
 * themselves (they carry one-time codes that must never sit in an inbox); they are listed so the
 * catalog is complete, but their text is not edited here.
 */
export const NOTIFICATION_KINDS = [
  'account.verification',
  'account.password_reset',
  'account.new_device_login',
  'booking.requested',
  'booking.new_request',
  'booking.assigned',
  'booking.confirmed',
  'booking.rejected',
  'booking.rescheduled',
  'booking.cancelled',
  'booking.reminder_24h',
  'booking.reminder_1h',
  'booking.result_reported',
  'listing.approved',
  'listing.rejected',
  'listing.suspended',
  'payment.captured',
  'payment.refunded',
  'deposit.captured',
  'deposit.refunded',
  'deposit.ttl_expiring',
  'contract.ready_to_sign',
  'contract.signed',
  'contract.expiring',
  'contract.expired',
  'handover.ready_to_sign',
  'handover.completed',
  'kyc.decided',
  'marketing.campaign',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const isNotificationKind = (value: string): value is NotificationKind =>
  (NOTIFICATION_KINDS as readonly string[]).includes(value);

/** Where a notification's text is written: the inbox, or one of the delivery channels. */
export const TEMPLATE_CHANNELS = ['app', 'email', 'telegram', 'sms'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

export const NOTIFICATION_LOCALES = ['vi', 'en'] as const;
export type NotificationLocale = (typeof NOTIFICATION_LOCALES)[number];

/** Variables every template may use: the recipient's name, the absolute deep link, the product's name. */
export const COMMON_VARIABLES = ['name', 'link', 'appName'] as const;

export interface KindSpec {
  category: PreferenceCategory;
  /** Variables of this kind besides COMMON_VARIABLES. */
  variables: readonly string[];
  sentBy: 'notifications' | 'identity';
}

const booking = ['bookingKind', 'place', 'start'] as const;
const spec = (
  category: PreferenceCategory,
  variables: readonly string[],
  sentBy: KindSpec['sentBy'] = 'notifications',
) => ({
  category,
  variables,
  sentBy,
});

export const KIND_SPECS: Record<NotificationKind, KindSpec> = {
  'account.verification': spec('account.security', ['code'], 'identity'),
  'account.password_reset': spec('account.security', ['code'], 'identity'),
  'account.new_device_login': spec('account.security', ['device', 'ip', 'time'], 'identity'),
  'booking.requested': spec('booking', booking),
  'booking.new_request': spec('booking', [...booking, 'customerName']),
  'booking.assigned': spec('booking', [...booking, 'customerName']),
  'booking.confirmed': spec('booking', booking),
  'booking.rejected': spec('booking', [...booking, 'reason']),
  'booking.rescheduled': spec('booking', [...booking, 'previousStart']),
  'booking.cancelled': spec('booking', [...booking, 'reason']),
  'booking.reminder_24h': spec('booking', booking),
  'booking.reminder_1h': spec('booking', booking),
  'booking.result_reported': spec('booking', [...booking, 'outcome']),
  'listing.approved': spec('listing', ['listingTitle']),
  'listing.rejected': spec('listing', ['listingTitle', 'reason']),
  'listing.suspended': spec('listing', ['listingTitle', 'reason']),
  'payment.captured': spec('payment', ['amount', 'purpose']),
  'payment.refunded': spec('payment', ['amount', 'purpose']),
  'deposit.captured': spec('payment', ['amount', 'listingTitle']),
  'deposit.refunded': spec('payment', ['amount', 'listingTitle']),
  'deposit.ttl_expiring': spec('payment', ['amount', 'listingTitle', 'expiresAt']),
  'contract.ready_to_sign': spec('contract', ['listingTitle']),
  'contract.signed': spec('contract', ['listingTitle']),
  'contract.expiring': spec('contract', ['listingTitle', 'endDate', 'daysBefore']),
  'contract.expired': spec('contract', ['listingTitle', 'endDate']),
  'handover.ready_to_sign': spec('contract', ['handoverKind']),
  'handover.completed': spec('contract', ['handoverKind']),
  'kyc.decided': spec('account.security', ['outcome', 'reason']),
  'marketing.campaign': spec('marketing', ['title', 'body']),
};

/** Every variable a template of `kind` may use. */
export const variablesOf = (kind: NotificationKind): string[] => [...COMMON_VARIABLES, ...KIND_SPECS[kind].variables];

/** Kinds whose templates admins edit (the ones this context sends). */
export const TEMPLATED_KINDS: NotificationKind[] = NOTIFICATION_KINDS.filter(
  (kind) => KIND_SPECS[kind].sentBy === 'notifications',
);

/** Values the template preview renders with (an admin sees a realistic message). */
export const SAMPLE_VALUES: Record<string, string> = {
  name: 'Nguyễn Văn An',
  link: 'https://phongtro.example.vn/bookings/0b6f1c2e-5a4d-4f7b-9e3a-2d1c0b9a8f7e',
  appName: 'Phòng Trọ Việt',
  code: '482913',
  device: 'Chrome trên Windows',
  ip: '203.113.0.10',
  time: '10:00 24/11/2026 (GMT+7)',
  bookingKind: 'xem phòng',
  place: 'Phòng 101 – Chung cư Sunrise, Quận 7',
  start: '10:00 24/11/2026 (GMT+7)',
  previousStart: '15:00 23/11/2026 (GMT+7)',
  customerName: 'Trần Thị Bình',
  reason: 'Ảnh chưa rõ phòng tắm',
  outcome: 'quan tâm',
  listingTitle: 'Phòng 20 m² gần Đại học Tôn Đức Thắng',
  amount: '1.500.000 ₫',
  purpose: 'phí tư vấn',
  expiresAt: '18:00 25/11/2026 (GMT+7)',
  endDate: '30/11/2027',
  daysBefore: '30',
  handoverKind: 'nhận phòng',
  title: 'Ưu đãi tháng 12',
  body: 'Giảm 50% phí đặt cọc cho hợp đồng ký trước ngày 31/12.',
};
