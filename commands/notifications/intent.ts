import { DateTime } from 'luxon';
import type { NotificationKind, NotificationLocale } from '../../domain/notifications/catalog.js';
import type { RecordedEvent } from '../eventstore/port.js';

/** A value in the recipient's language, or the same in every language. */
export type Localized = string | Record<NotificationLocale, string>;

/** One notification to create: who, which kind, the template's values, what it links to. */
export interface NotificationIntent {
  userId: string;
  kind: NotificationKind;
  values: Record<string, Localized>;
  resource: { type: string; id: string } | null;
  /** A same-site UI path (/bookings/<id>), or null. */
  link: string | null;
}

/** What turning an event into notifications needs to read. */
export interface SourceLookups {
  /** A stream's events from its first through `revision` (the state when the event happened). */
  history(stream: string, revision: bigint): Promise<RecordedEvent[]>;
  listingTitle(listingId: string | null): Promise<string>;
  userName(userId: string): Promise<string>;
}

/** The one who caused the event (the person acted for under act-as) needs no notice of it. */
export const actorOf = (event: RecordedEvent) => event.metadata.actAsId ?? event.metadata.actorId;

/** `10:00 24/11/2026 (GMT+7)` in the zone given (the booking's, else Vietnam's). */
export function localTime(iso: string, zone = 'Asia/Ho_Chi_Minh'): string {
  const time = DateTime.fromISO(iso, { zone });
  return time.isValid ? `${time.toFormat('HH:mm dd/MM/yyyy')} (GMT${time.toFormat('Z')})` : iso;
}

export const localDate = (isoDate: string) => {
  const date = DateTime.fromISO(isoDate, { zone: 'Asia/Ho_Chi_Minh' });
  return date.isValid ? date.toFormat('dd/MM/yyyy') : isoDate;
};

/** System reasons are codes; people read sentences. Reasons people typed stay as they are. */
const REASON_LABELS: Record<string, Record<NotificationLocale, string>> = {
  customer_overlap: { vi: 'trùng với một lịch hẹn khác của bạn', en: 'it overlaps another of your bookings' },
  daily_request_limit: { vi: 'vượt quá số lịch hẹn cho phép trong ngày', en: 'over the daily booking limit' },
  not_confirmed_in_time: { vi: 'lịch chưa được xác nhận kịp thời', en: 'it was not confirmed in time' },
  payment_not_received: { vi: 'chưa nhận được thanh toán', en: 'the payment did not arrive' },
};
export const reasonText = (reason: string | null): Localized => (reason ? (REASON_LABELS[reason] ?? reason) : '');

const GROUPING: Record<NotificationLocale, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat('vi-VN'),
  en: new Intl.NumberFormat('en-US'),
};

/** An amount of VND as people read it, with a plain space (SMS and Telegram): `1.500.000 ₫`, `1,500,000 VND`. */
export const money = (vnd: number): Localized => ({
  vi: `${GROUPING.vi.format(vnd)} ₫`,
  en: `${GROUPING.en.format(vnd)} VND`,
});
