import type { NotificationKind, NotificationLocale, TemplateChannel } from './catalog.js';

type Text = { title: string; body: string };
type Builtin = Record<NotificationLocale, Text>;

const at = '{{bookingKind}} tại {{place}} lúc {{start}}';
const atEn = '{{bookingKind}} at {{place}} on {{start}}';

/** The built-in wording of every kind this context sends: a short title and one paragraph. */
const BUILTIN: Record<Exclude<NotificationKind, `account.${string}`>, Builtin> = {
  'booking.requested': {
    vi: {
      title: 'Đã gửi yêu cầu đặt lịch',
      body: `Yêu cầu ${at} đã được ghi nhận. Chúng tôi sẽ báo khi lịch được xác nhận.`,
    },
    en: {
      title: 'Booking request sent',
      body: `Your request for a ${atEn} was received. We will tell you once it is confirmed.`,
    },
  },
  'booking.new_request': {
    vi: { title: 'Có lịch hẹn mới', body: `{{customerName}} đặt lịch ${at}.` },
    en: { title: 'New booking', body: `{{customerName}} booked a ${atEn}.` },
  },
  'booking.assigned': {
    vi: { title: 'Bạn được phân công lịch hẹn', body: `Bạn phụ trách lịch ${at} với khách {{customerName}}.` },
    en: { title: 'Booking assigned to you', body: `You are in charge of the ${atEn} with {{customerName}}.` },
  },
  'booking.confirmed': {
    vi: { title: 'Lịch hẹn đã được xác nhận', body: `Lịch ${at} đã được xác nhận.` },
    en: { title: 'Booking confirmed', body: `Your ${atEn} is confirmed.` },
  },
  'booking.rejected': {
    vi: { title: 'Lịch hẹn bị từ chối', body: `Lịch ${at} đã bị từ chối. Lý do: {{reason}}` },
    en: { title: 'Booking declined', body: `Your ${atEn} was declined. Reason: {{reason}}` },
  },
  'booking.rescheduled': {
    vi: { title: 'Lịch hẹn đã đổi giờ', body: `Lịch ${at} (trước đây lúc {{previousStart}}).` },
    en: { title: 'Booking rescheduled', body: `The ${atEn} (was {{previousStart}}).` },
  },
  'booking.cancelled': {
    vi: { title: 'Lịch hẹn đã bị hủy', body: `Lịch ${at} đã bị hủy. Lý do: {{reason}}` },
    en: { title: 'Booking cancelled', body: `The ${atEn} was cancelled. Reason: {{reason}}` },
  },
  'booking.reminder_24h': {
    vi: { title: 'Nhắc lịch: ngày mai', body: `Bạn có lịch ${at}.` },
    en: { title: 'Reminder: tomorrow', body: `You have a ${atEn}.` },
  },
  'booking.reminder_1h': {
    vi: { title: 'Nhắc lịch: còn 1 giờ', body: `Lịch ${at} sẽ bắt đầu sau khoảng 1 giờ.` },
    en: { title: 'Reminder: in one hour', body: `Your ${atEn} starts in about an hour.` },
  },
  'booking.result_reported': {
    vi: { title: 'Kết quả xem phòng', body: `Kết quả buổi ${at}: {{outcome}}.` },
    en: { title: 'Viewing result', body: `Result of the ${atEn}: {{outcome}}.` },
  },
  'listing.approved': {
    vi: { title: 'Tin đăng đã được duyệt', body: 'Tin "{{listingTitle}}" đã được duyệt.' },
    en: { title: 'Listing approved', body: 'Your listing "{{listingTitle}}" was approved.' },
  },
  'listing.rejected': {
    vi: { title: 'Tin đăng bị từ chối', body: 'Tin "{{listingTitle}}" chưa được duyệt. Lý do: {{reason}}' },
    en: { title: 'Listing rejected', body: 'Your listing "{{listingTitle}}" was not approved. Reason: {{reason}}' },
  },
  'listing.suspended': {
    vi: { title: 'Tin đăng bị tạm ngưng', body: 'Tin "{{listingTitle}}" đã bị tạm ngưng. Lý do: {{reason}}' },
    en: { title: 'Listing suspended', body: 'Your listing "{{listingTitle}}" was suspended. Reason: {{reason}}' },
  },
  'payment.captured': {
    vi: { title: 'Thanh toán thành công', body: 'Đã nhận {{amount}} ({{purpose}}).' },
    en: { title: 'Payment received', body: 'We received {{amount}} ({{purpose}}).' },
  },
  'payment.refunded': {
    vi: { title: 'Đã hoàn tiền', body: 'Đã hoàn {{amount}} ({{purpose}}).' },
    en: { title: 'Refund sent', body: '{{amount}} was refunded ({{purpose}}).' },
  },
  'deposit.captured': {
    vi: { title: 'Đặt cọc thành công', body: 'Khoản cọc {{amount}} cho "{{listingTitle}}" đã được ghi nhận.' },
    en: { title: 'Deposit received', body: 'The deposit of {{amount}} for "{{listingTitle}}" is recorded.' },
  },
  'deposit.refunded': {
    vi: { title: 'Đã hoàn cọc', body: 'Đã hoàn {{amount}} tiền cọc cho "{{listingTitle}}".' },
    en: { title: 'Deposit refunded', body: '{{amount}} of the deposit for "{{listingTitle}}" was refunded.' },
  },
  'deposit.ttl_expiring': {
    vi: {
      title: 'Cọc giữ chỗ sắp hết hạn',
      body: 'Cọc giữ chỗ {{amount}} cho "{{listingTitle}}" hết hạn lúc {{expiresAt}}.',
    },
    en: {
      title: 'Reservation deposit expiring',
      body: 'The reservation deposit of {{amount}} for "{{listingTitle}}" expires on {{expiresAt}}.',
    },
  },
  'contract.ready_to_sign': {
    vi: { title: 'Hợp đồng chờ bạn ký', body: 'Hợp đồng thuê "{{listingTitle}}" đã sẵn sàng để bạn ký.' },
    en: { title: 'Contract ready to sign', body: 'The lease for "{{listingTitle}}" is ready for your signature.' },
  },
  'contract.signed': {
    vi: { title: 'Hợp đồng đã ký xong', body: 'Hợp đồng thuê "{{listingTitle}}" đã được hai bên ký.' },
    en: { title: 'Contract signed', body: 'Both parties signed the lease for "{{listingTitle}}".' },
  },
  'contract.expiring': {
    vi: {
      title: 'Hợp đồng sắp hết hạn',
      body: 'Hợp đồng thuê "{{listingTitle}}" hết hạn ngày {{endDate}} (còn {{daysBefore}} ngày).',
    },
    en: {
      title: 'Contract ending soon',
      body: 'The lease for "{{listingTitle}}" ends on {{endDate}} ({{daysBefore}} days left).',
    },
  },
  'contract.expired': {
    vi: { title: 'Hợp đồng đã hết hạn', body: 'Hợp đồng thuê "{{listingTitle}}" đã hết hạn ngày {{endDate}}.' },
    en: { title: 'Contract ended', body: 'The lease for "{{listingTitle}}" ended on {{endDate}}.' },
  },
  'handover.ready_to_sign': {
    vi: { title: 'Biên bản bàn giao chờ ký', body: 'Biên bản {{handoverKind}} đã sẵn sàng để bạn xem và ký.' },
    en: { title: 'Handover report to sign', body: 'The {{handoverKind}} report is ready for you to check and sign.' },
  },
  'handover.completed': {
    vi: { title: 'Bàn giao hoàn tất', body: 'Biên bản {{handoverKind}} đã được hai bên ký.' },
    en: { title: 'Handover completed', body: 'Both parties signed the {{handoverKind}} report.' },
  },
  'kyc.decided': {
    vi: { title: 'Kết quả xác minh danh tính', body: 'Hồ sơ xác minh của bạn: {{outcome}}. {{reason}}' },
    en: { title: 'Identity verification result', body: 'Your verification: {{outcome}}. {{reason}}' },
  },
  'marketing.campaign': {
    vi: { title: '{{title}}', body: '{{body}}' },
    en: { title: '{{title}}', body: '{{body}}' },
  },
};

const GREETING: Record<NotificationLocale, string> = { vi: 'Xin chào {{name}},', en: 'Hello {{name}},' };
const DETAILS: Record<NotificationLocale, string> = { vi: 'Xem chi tiết: {{link}}', en: 'Details: {{link}}' };
const FOOTER: Record<NotificationLocale, string> = {
  vi: '— {{appName}}\nEmail này được gửi tự động, vui lòng không trả lời.',
  en: '— {{appName}}\nThis message was sent automatically, please do not reply.',
};

export interface TemplateText {
  /** The inbox title and the email subject; null for Telegram and SMS, which have none. */
  subject: string | null;
  body: string;
}

/** Channels with a subject line: the inbox (its title) and email. */
export const hasSubject = (channel: TemplateChannel) => channel === 'app' || channel === 'email';

/**
 * The built-in template of a kind for a channel: one wording, shaped per channel (a greeting and
 * footer in email, the link on its own line in Telegram, one short line in SMS).
 */
export function defaultTemplate(
  kind: NotificationKind,
  channel: TemplateChannel,
  locale: NotificationLocale,
): TemplateText | null {
  if (kind.startsWith('account.')) return null;
  const { title, body } = BUILTIN[kind as keyof typeof BUILTIN][locale];
  switch (channel) {
    case 'app':
      return { subject: title, body };
    case 'email':
      return { subject: title, body: [GREETING[locale], body, DETAILS[locale], FOOTER[locale]].join('\n\n') };
    case 'telegram':
      return { subject: null, body: `${title}\n\n${body}\n{{link}}` };
    case 'sms':
      return { subject: null, body: `{{appName}}: ${body} {{link}}` };
  }
}
