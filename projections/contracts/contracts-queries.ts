import type pg from 'pg';
import type {
  ContractCanceller,
  ContractParty,
  ContractSignature,
  ContractStatus,
} from '../../domain/contracts/contract-events.js';
import type { HandoverKind, HandoverStatus } from '../../domain/contracts/handover-events.js';
import { invalid } from '../../domain/shared/errors.js';
import { isUuid } from '../identity/profiles-queries.js';
import { decodeCursor, encodeCursor, isDate, iso, type Page, type Row } from './read-helpers.js';

export type { Page } from './read-helpers.js';

export interface ContractListItem {
  id: string;
  status: ContractStatus;
  depositId: string;
  customerId: string;
  customerName: string | null;
  ownerId: string;
  ownerName: string | null;
  listingId: string;
  listingTitle: string | null;
  roomId: string;
  roomName: string | null;
  projectId: string;
  projectName: string | null;
  rentVnd: number;
  depositVnd: number;
  /** 'yyyy-mm-dd' (Asia/Ho_Chi_Minh calendar), null until the owner fills it. */
  startDate: string | null;
  endDate: string | null;
  createdAt: string;
  signedAt: string | null;
  hasScan: boolean;
}

export interface ContractScanView {
  fileKey: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  review: { accepted: boolean; note: string | null; reviewedBy: string; at: string } | null;
}

export interface ContractView extends ContractListItem {
  roomHoldId: string;
  templateId: string;
  templateVersion: number;
  text: string;
  sha256: string;
  /** Placeholders still without a value: the owner fills them before anyone signs. */
  missing: string[];
  values: Record<string, string>;
  clauses: string | null;
  /** In signing order. */
  signatures: ContractSignature[];
  signedSha256: string | null;
  scan: ContractScanView | null;
  /** Days-before of the expiry reminders already sent. */
  reminders: number[];
  cancelReason: string | null;
  cancelledBy: ContractCanceller | null;
  /** Whose signature is awaited: the customer first, then the owner; null once complete or not signable. */
  nextSigner: ContractParty | null;
  handovers: { id: string; kind: HandoverKind; status: HandoverStatus; createdAt: string }[];
  updatedAt: string;
}

/** Whose contracts a viewer sees: their own as customer or as owner, or every one (operators). */
export interface ContractViewer {
  id: string;
  scope: 'customer' | 'owner' | 'all';
}

export interface ContractFilter {
  viewer: ContractViewer;
  status?: ContractStatus[];
  roomId?: string;
  projectId?: string;
  customerId?: string;
  /**
   * 'yyyy-mm-dd': contracts whose term (start..end date; the creation day, VN time, where unset)
   * overlaps [from, to].
   */
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

const SELECT = `
  select c.*, c.start_date::text as start_date_text, c.end_date::text as end_date_text,
      cu.name as customer_name, ow.name as owner_name, l.title as listing_title, r.name as room_name,
      p.name as project_name
    from rm.contracts c
    left join rm.users cu on cu.id = c.customer_id
    left join rm.users ow on ow.id = c.owner_id
    left join rm.listings l on l.id = c.listing_id
    left join rm.rooms r on r.id = c.room_id
    left join rm.projects p on p.id = c.project_id`;

const listItemOf = (row: Row): ContractListItem => ({
  id: row.id,
  status: row.status,
  depositId: row.deposit_id,
  customerId: row.customer_id,
  customerName: row.customer_name ?? null,
  ownerId: row.owner_id,
  ownerName: row.owner_name ?? null,
  listingId: row.listing_id,
  listingTitle: row.listing_title ?? null,
  roomId: row.room_id,
  roomName: row.room_name ?? null,
  projectId: row.project_id,
  projectName: row.project_name ?? null,
  rentVnd: Number(row.rent_vnd),
  depositVnd: Number(row.deposit_vnd),
  startDate: row.start_date_text,
  endDate: row.end_date_text,
  createdAt: row.created_at.toISOString(),
  signedAt: iso(row.signed_at),
  hasScan: row.scan !== null,
});

/** Customer first, then the owner, once nothing is missing and while awaiting signatures. */
export function nextSignerOf(contract: Pick<ContractView, 'status' | 'missing' | 'signatures'>): ContractParty | null {
  if (contract.status !== 'awaiting_signatures' || contract.missing.length > 0) return null;
  const signed = new Set(contract.signatures.map((s) => s.party));
  if (!signed.has('customer')) return 'customer';
  return signed.has('owner') ? null : 'owner';
}

/** The party `userId` is in the contract, if any (the customer when someone rents from themselves). */
export const partyOf = (
  contract: Pick<ContractView, 'customerId' | 'ownerId'>,
  userId: string,
): ContractParty | null => (contract.customerId === userId ? 'customer' : contract.ownerId === userId ? 'owner' : null);

export async function getContract(pool: pg.Pool, id: string): Promise<ContractView | null> {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query(`${SELECT} where c.id = $1`, [id]);
  const row = rows[0];
  if (!row) return null;
  const handovers = await pool.query(
    'select id, kind, status, created_at from rm.handovers where contract_id = $1 order by created_at, id',
    [id],
  );
  const view: Omit<ContractView, 'nextSigner'> = {
    ...listItemOf(row),
    roomHoldId: row.room_hold_id,
    templateId: row.template_id,
    templateVersion: row.template_version,
    text: row.text,
    sha256: row.sha256,
    missing: row.missing,
    values: row.values,
    clauses: row.clauses,
    signatures: row.signatures,
    signedSha256: row.signed_sha256,
    scan: row.scan,
    reminders: row.reminders,
    cancelReason: row.cancel_reason,
    cancelledBy: row.cancelled_by,
    handovers: handovers.rows.map((h: Row) => ({
      id: h.id,
      kind: h.kind,
      status: h.status,
      createdAt: h.created_at.toISOString(),
    })),
    updatedAt: row.updated_at.toISOString(),
  };
  return { ...view, nextSigner: nextSignerOf(view) };
}

/** The contract generated for a deposit (at most one: its id derives from the deposit's). */
export async function contractOfDeposit(pool: pg.Pool, depositId: string): Promise<ContractView | null> {
  if (!isUuid(depositId)) return null;
  const { rows } = await pool.query<{ id: string }>('select id from rm.contracts where deposit_id = $1', [depositId]);
  return rows[0] ? getContract(pool, rows[0].id) : null;
}

function checkedUuid(value: string | undefined, field: string): string | null {
  if (value === undefined) return null;
  if (!isUuid(value)) throw invalid('ID_INVALID', 'Mã không hợp lệ', field);
  return value;
}

function checkedDate(value: string | undefined, field: string): string | null {
  if (value === undefined) return null;
  if (!isDate(value)) throw invalid('DATE_INVALID', 'Ngày không hợp lệ (yyyy-mm-dd)', field);
  return value;
}

/** Contracts the viewer may see, newest first, keyset-paginated on (created_at, id). */
export async function listContracts(pool: pg.Pool, filter: ContractFilter): Promise<Page<ContractListItem>> {
  const { viewer } = filter;
  if (viewer.scope !== 'all' && !isUuid(viewer.id)) return { items: [], nextCursor: null };
  const from = checkedDate(filter.from, 'from');
  const to = checkedDate(filter.to, 'to');
  if (from !== null && to !== null && from > to)
    throw invalid('DATE_RANGE_INVALID', 'Từ ngày phải trước đến ngày', 'to');
  const after = filter.cursor === undefined ? null : decodeCursor(filter.cursor);
  const { rows } = await pool.query(
    `${SELECT}
      where ($1::text = 'all' or ($1 = 'customer' and c.customer_id = $2::uuid) or ($1 = 'owner' and c.owner_id = $2::uuid))
        and ($3::text[] is null or c.status = any($3))
        and ($4::uuid is null or c.room_id = $4)
        and ($5::uuid is null or c.project_id = $5)
        and ($6::uuid is null or c.customer_id = $6)
        and ($7::date is null
          or coalesce(c.end_date, c.start_date, (c.created_at at time zone 'Asia/Ho_Chi_Minh')::date) >= $7)
        and ($8::date is null or coalesce(c.start_date, (c.created_at at time zone 'Asia/Ho_Chi_Minh')::date) <= $8)
        and ($9::timestamptz is null or (c.created_at, c.id) < ($9, $10::uuid))
      order by c.created_at desc, c.id desc
      limit $11`,
    [
      viewer.scope,
      viewer.scope === 'all' ? null : viewer.id,
      filter.status ?? null,
      checkedUuid(filter.roomId, 'roomId'),
      checkedUuid(filter.projectId, 'projectId'),
      checkedUuid(filter.customerId, 'customerId'),
      from,
      to,
      after?.at ?? null,
      after?.id ?? null,
      filter.limit + 1,
    ],
  );
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return {
    items: items.map(listItemOf),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

/** A contract a scheduled job acts on. */
export interface DueContract {
  contractId: string;
  endDate: string;
}

/** When a contract ends: the end of its end date in Asia/Ho_Chi_Minh, i.e. the next day's 00:00 there. */
const ENDS_AT = `((c.end_date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')`;

/** Signed contracts whose end date is over (VN time): ExpireContract is due. */
export async function contractsDueForExpiry(pool: pg.Pool, now: Date, limit = 500): Promise<DueContract[]> {
  const { rows } = await pool.query(
    `select c.id, c.end_date::text as end_date from rm.contracts c
      where c.status = 'signed' and c.end_date is not null and ${ENDS_AT} <= $1
      order by c.end_date, c.id limit $2`,
    [now, limit],
  );
  return rows.map((row: Row) => ({ contractId: row.id, endDate: row.end_date }));
}

/** Signed contracts ending within `daysBefore` days of `now` and not yet reminded for that many days. */
export async function contractsDueForReminder(
  pool: pg.Pool,
  now: Date,
  daysBefore: number,
  limit = 500,
): Promise<DueContract[]> {
  const { rows } = await pool.query(
    `select c.id, c.end_date::text as end_date from rm.contracts c
      where c.status = 'signed' and c.end_date is not null
        and ${ENDS_AT} > $1 and ${ENDS_AT} - make_interval(days => $2::int) <= $1
        and not c.reminders @> jsonb_build_array($2::int)
      order by c.end_date, c.id limit $3`,
    [now, daysBefore, limit],
  );
  return rows.map((row: Row) => ({ contractId: row.id, endDate: row.end_date }));
}
