import type pg from 'pg';
import type { DepositParties } from '../../domain/payments/deposit-events.js';

/** Shown for a phone number nobody gave: the contract stays valid without one. */
const NO_PHONE = '(chưa cung cấp)';
/** DieuKhoan when the owner adds no clauses of their own. */
export const NO_EXTRA_CLAUSES = 'Không có điều khoản bổ sung.';

/** The facts a contract's values come from, read from the catalog and identity read models. */
export interface ContractFacts {
  customer: { name: string; phone: string | null; email: string };
  owner: { name: string; phone: string | null; email: string };
  projectName: string;
  address: string;
  roomName: string;
  areaM2: number | null;
  /** The listing's monthly price for the room (its override, else the room's standard price). */
  rentVnd: number;
}

interface Person {
  name: string | null;
  phone: string | null;
  email: string | null;
}

async function person(pool: pg.Pool, userId: string): Promise<Person> {
  const { rows } = await pool.query<Person>(
    `select coalesce(p.name, u.name) as name, coalesce(p.phone, u.phone) as phone, u.email
       from (select $1::text as id) me
       left join rm.users u on u.id::text = me.id
       left join rm.profiles p on p.user_id::text = me.id`,
    [userId],
  );
  return rows[0] ?? { name: null, phone: null, email: null };
}

/** "12 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh": the street, then the area up to the province. */
async function addressOf(pool: pg.Pool, street: string, areaId: string): Promise<string> {
  const { rows } = await pool.query<{ name: string }>(
    `with recursive path(id, name, parent_id, depth) as (
       select id, name, parent_id, 0 from rm.areas where id = $1
       union all select a.id, a.name, a.parent_id, path.depth + 1 from rm.areas a join path on a.id = path.parent_id
         where path.depth < 10)
     select name from path order by depth`,
    [areaId],
  );
  return [street.trim(), ...rows.map((r) => r.name)].filter((part) => part.length > 0).join(', ');
}

/** What the read models know about a deposit's room, project and parties; null while they lag behind. */
export async function contractFacts(pool: pg.Pool, parties: DepositParties): Promise<ContractFacts | null> {
  const { rows } = await pool.query<{
    project_name: string;
    street: string;
    area_id: string;
    room_name: string | null;
    area_m2: string | null;
    rent: string;
  }>(
    `select p.name as project_name, p.street, p.area_id, r.name as room_name,
            coalesce(lr.area_m2, r.area_m2)::text as area_m2, coalesce(lr.price, r.standard_price)::text as rent
       from rm.rooms r join rm.projects p on p.id = r.project_id
       left join rm.listing_rooms lr on lr.room_id = r.id and lr.listing_id = $2
      where r.id = $1`,
    [parties.roomId, parties.listingId],
  );
  const row = rows[0];
  if (!row) return null;
  const [customer, owner, address] = await Promise.all([
    person(pool, parties.customerId),
    person(pool, parties.ownerId),
    addressOf(pool, row.street, row.area_id),
  ]);
  return {
    customer: { name: customer.name ?? '', phone: customer.phone, email: customer.email ?? '' },
    owner: { name: owner.name ?? '', phone: owner.phone, email: owner.email ?? '' },
    projectName: row.project_name,
    address,
    roomName: row.room_name ?? '',
    areaM2: row.area_m2 === null ? null : Number(row.area_m2),
    rentVnd: Number(row.rent),
  };
}

/** "HD-1A2B3C4D": the contract's short reference (the MaHopDong the contract derives the same way). */
export const contractCode = (contractId: string) => `HD-${contractId.replaceAll('-', '').slice(0, 8).toUpperCase()}`;

/**
 * The values of a new contract that come from the parties, the project and the room; blanks are
 * what the owner still has to fill. The contract itself derives its reference, date and the
 * values of its terms (rent, deposit, dates, clauses).
 */
export function contractValues(facts: ContractFacts): Record<string, string> {
  const area = facts.areaM2 === null ? '' : `${String(facts.areaM2).replace('.', ',')} m²`;
  return {
    TenKhachHang: facts.customer.name,
    SoDienThoaiKhachHang: facts.customer.phone ?? NO_PHONE,
    EmailKhachHang: facts.customer.email,
    TenChuNha: facts.owner.name,
    SoDienThoaiChuNha: facts.owner.phone ?? NO_PHONE,
    TenDuAn: facts.projectName,
    DiaChi: facts.address,
    TenPhong: facts.roomName,
    DienTich: area,
  };
}
