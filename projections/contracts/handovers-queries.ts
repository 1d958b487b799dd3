import type pg from 'pg';
import type {
  HandoverContent,
  HandoverKind,
  HandoverParty,
  HandoverSignature,
  HandoverStatus,
} from '../../domain/contracts/handover-events.js';
import { invalid } from '../../domain/shared/errors.js';
import { isUuid } from '../identity/profiles-queries.js';
import type { ContractViewer } from './contracts-queries.js';
import { iso, type Row } from './read-helpers.js';

export interface HandoverListItem {
  id: string;
  kind: HandoverKind;
  status: HandoverStatus;
  contractId: string;
  depositId: string;
  roomId: string;
  roomName: string | null;
  projectId: string;
  projectName: string | null;
  customerId: string;
  customerName: string | null;
  ownerId: string;
  ownerName: string | null;
  openedBy: string;
  /** The parties who signed so far. */
  signedBy: HandoverParty[];
  createdAt: string;
  completedAt: string | null;
}

export interface HandoverView extends HandoverListItem {
  content: HandoverContent;
  documentSha256: string;
  signatures: HandoverSignature[];
  moveInHandoverId: string | null;
  /** For a move-out: what the move-in report recorded, to compare with; null otherwise. */
  moveIn: HandoverContent | null;
  cancelReason: string | null;
  updatedAt: string;
}

export interface HandoverFilter {
  /** Without one, every report (operators); with one, the reports of their own contracts. */
  viewer?: ContractViewer;
  contractId?: string;
  roomId?: string;
  status?: HandoverStatus[];
  limit?: number;
}

const SELECT = `
  select h.*, r.name as room_name, p.name as project_name, cu.name as customer_name, ow.name as owner_name,
      m.content as move_in_content
    from rm.handovers h
    left join rm.rooms r on r.id = h.room_id
    left join rm.projects p on p.id = h.project_id
    left join rm.users cu on cu.id = h.customer_id
    left join rm.users ow on ow.id = h.owner_id
    left join rm.handovers m on m.id = h.move_in_handover_id`;

const listItemOf = (row: Row): HandoverListItem => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  contractId: row.contract_id,
  depositId: row.deposit_id,
  roomId: row.room_id,
  roomName: row.room_name ?? null,
  projectId: row.project_id,
  projectName: row.project_name ?? null,
  customerId: row.customer_id,
  customerName: row.customer_name ?? null,
  ownerId: row.owner_id,
  ownerName: row.owner_name ?? null,
  openedBy: row.opened_by,
  signedBy: (row.signatures as HandoverSignature[]).map((s) => s.party),
  createdAt: row.created_at.toISOString(),
  completedAt: iso(row.completed_at),
});

export async function getHandover(pool: pg.Pool, id: string): Promise<HandoverView | null> {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query(`${SELECT} where h.id = $1`, [id]);
  const row = rows[0];
  if (!row) return null;
  return {
    ...listItemOf(row),
    content: row.content,
    documentSha256: row.document_sha256,
    signatures: row.signatures,
    moveInHandoverId: row.move_in_handover_id,
    moveIn: row.kind === 'move_out' ? (row.move_in_content ?? null) : null,
    cancelReason: row.cancel_reason,
    updatedAt: row.updated_at.toISOString(),
  };
}

function checkedUuid(value: string | undefined, field: string): string | null {
  if (value === undefined) return null;
  if (!isUuid(value)) throw invalid('ID_INVALID', 'Mã không hợp lệ', field);
  return value;
}

/** Handover reports, newest first (a contract's: a move-out after its move-in). */
export async function listHandovers(pool: pg.Pool, filter: HandoverFilter = {}): Promise<HandoverListItem[]> {
  const viewer = filter.viewer ?? { id: '', scope: 'all' as const };
  if (viewer.scope !== 'all' && !isUuid(viewer.id)) return [];
  const { rows } = await pool.query(
    `${SELECT}
      where ($1::text = 'all' or ($1 = 'customer' and h.customer_id = $2::uuid) or ($1 = 'owner' and h.owner_id = $2::uuid))
        and ($3::uuid is null or h.contract_id = $3)
        and ($4::uuid is null or h.room_id = $4)
        and ($5::text[] is null or h.status = any($5))
      order by h.created_at desc, h.id desc
      limit $6`,
    [
      viewer.scope,
      viewer.scope === 'all' ? null : viewer.id,
      checkedUuid(filter.contractId, 'contractId'),
      checkedUuid(filter.roomId, 'roomId'),
      filter.status ?? null,
      filter.limit ?? 200,
    ],
  );
  return rows.map(listItemOf);
}
