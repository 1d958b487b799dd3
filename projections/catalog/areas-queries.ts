import { type Kysely, sql } from 'kysely';
import type { AreaLevel } from '../../domain/catalog/area-events.js';
import { foldVietnamese } from '../../domain/shared/text.js';
import type { AreasTables } from './areas-projection.js';

export interface AreaView {
  id: string;
  code: string | null;
  name: string;
  level: AreaLevel;
  parentId: string | null;
  hot: boolean;
  /** Names from the province down, e.g. "Thành phố Hồ Chí Minh › Quận 1". */
  path: string;
  childCount: number;
}

export interface AreaNode extends AreaView {
  children: AreaNode[];
}

export interface AreaFilter {
  parentId?: string | null;
  level?: AreaLevel;
  /** Accent- and case-insensitive substring of the name. */
  q?: string;
  id?: string;
}

export async function listAreas(db: Kysely<AreasTables>, filter: AreaFilter = {}): Promise<AreaView[]> {
  const conditions = [sql`true`];
  if (filter.id !== undefined) conditions.push(sql`t.id = ${filter.id}`);
  if (filter.parentId === null) conditions.push(sql`t.parent_id is null`);
  else if (filter.parentId !== undefined) conditions.push(sql`t.parent_id = ${filter.parentId}`);
  if (filter.level) conditions.push(sql`t.level = ${filter.level}`);
  if (filter.q) conditions.push(sql`t.name_folded like ${`%${foldVietnamese(filter.q).replace(/[\\%_]/g, '\\$&')}%`}`);

  const { rows } = await sql<AreaView>`
    with recursive tree as (
      select id, code, name, name_folded, level, parent_id, hot, name::text as path, 0 as depth
        from rm.areas where parent_id is null
      union all
      select a.id, a.code, a.name, a.name_folded, a.level, a.parent_id, a.hot, tree.path || ' › ' || a.name, tree.depth + 1
        from rm.areas a join tree on a.parent_id = tree.id
    )
    select t.id, t.code, t.name, t.level, t.parent_id as "parentId", t.hot, t.path,
           (select count(*)::int from rm.areas c where c.parent_id = t.id) as "childCount"
      from tree t
     where ${sql.join(conditions, sql` and `)}
     order by t.depth, t.path`.execute(db);
  return rows;
}

export async function getArea(db: Kysely<AreasTables>, id: string): Promise<AreaView | null> {
  return (await listAreas(db, { id }))[0] ?? null;
}

export async function areaTree(db: Kysely<AreasTables>): Promise<AreaNode[]> {
  const nodes = new Map<string, AreaNode>();
  for (const area of await listAreas(db)) nodes.set(area.id, { ...area, children: [] });
  const roots: AreaNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const byName = (a: AreaNode, b: AreaNode) => a.name.localeCompare(b.name, 'vi', { numeric: true });
  const sortDeep = (list: AreaNode[]) => {
    list.sort(byName);
    for (const node of list) sortDeep(node.children);
  };
  sortDeep(roots);
  return roots;
}
