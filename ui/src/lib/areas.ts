// Areas (KhuVuc): province > district > ward. Types and calls for /api/v1/areas.
import { API_BASE, apiDownload, apiGet, apiSend } from './api';

export type AreaLevel = 'province' | 'district' | 'ward';
export const AREA_LEVELS: readonly AreaLevel[] = ['province', 'district', 'ward'];

export type Area = {
  id: string;
  code: string | null;
  name: string;
  level: AreaLevel;
  parentId: string | null;
  hot: boolean;
  /** Full name from the root, e.g. "Thành phố Hồ Chí Minh › Quận 1". */
  path: string;
  childCount: number;
};

export type AreaNode = Area & { children: AreaNode[] };

export type ImportFormat = 'csv' | 'json';
export type ImportResult = { created: number; updated: number; unchanged: number };
export type ImportRowError = { row: number; field: string; message: string };

/**
 * Levels a parent may have. A province is a root. A ward sits under a district, or directly
 * under a province (Vietnam's 2025 reform abolished districts).
 */
export const PARENT_LEVELS: Record<AreaLevel, readonly AreaLevel[]> = {
  province: [],
  district: ['province'],
  ward: ['district', 'province'],
};

const base = `${API_BASE}/areas`;

export function listAreas(filter: { parentId?: string; level?: AreaLevel; q?: string } = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
  const qs = params.toString();
  return apiGet<Area[]>(qs ? `${base}?${qs}` : base);
}

export const getTree = () => apiGet<AreaNode[]>(`${base}/tree`);
export const getArea = (id: string) => apiGet<Area>(`${base}/${encodeURIComponent(id)}`);

export function createArea(input: { name: string; level: AreaLevel; parentId: string | null; code: string | null }) {
  return apiSend<{ id: string }>('POST', base, input);
}

export function updateArea(id: string, patch: { name?: string; parentId?: string | null; hot?: boolean }) {
  return apiSend<{ id: string }>('PATCH', `${base}/${encodeURIComponent(id)}`, patch);
}

export function deleteArea(id: string) {
  return apiSend<unknown>('DELETE', `${base}/${encodeURIComponent(id)}`, undefined);
}

export function exportAreas(format: ImportFormat) {
  return apiDownload(`${base}/export?format=${format}`);
}

export function importAreas(format: ImportFormat, file: Blob) {
  const contentType = format === 'csv' ? 'text/csv' : 'application/json';
  return apiSend<ImportResult>('POST', `${base}/import?format=${format}`, file, { contentType });
}

/** Reads the per-row errors of an IMPORT_INVALID refusal (empty when the shape is unexpected). */
export function importRowErrors(details: unknown): ImportRowError[] {
  if (typeof details !== 'object' || details === null || !('rows' in details)) return [];
  const rows = (details as { rows: unknown }).rows;
  return Array.isArray(rows) ? (rows as ImportRowError[]) : [];
}

/** Depth-first list of every node of a tree. */
export function flatten(nodes: AreaNode[]): AreaNode[] {
  const out: AreaNode[] = [];
  const walk = (list: AreaNode[]) => {
    for (const n of list) {
      out.push(n);
      walk(n.children);
    }
  };
  walk(nodes);
  return out;
}

export function findNode(nodes: AreaNode[], id: string): AreaNode | undefined {
  return flatten(nodes).find((n) => n.id === id);
}

/** Ids of a node's ancestors, root first (for expanding the tree down to it). */
export function ancestorIds(nodes: AreaNode[], id: string): string[] {
  const byId = new Map(flatten(nodes).map((n) => [n.id, n]));
  const out: string[] = [];
  let cur = byId.get(id)?.parentId ?? null;
  while (cur) {
    out.unshift(cur);
    cur = byId.get(cur)?.parentId ?? null;
  }
  return out;
}

/** Areas that may become the parent of an area of `level`, excluding `self` and its subtree. */
export function parentCandidates(nodes: AreaNode[], level: AreaLevel, self?: AreaNode): AreaNode[] {
  const excluded = new Set(self ? flatten([self]).map((n) => n.id) : []);
  const allowed = PARENT_LEVELS[level];
  return flatten(nodes)
    .filter((n) => allowed.includes(n.level) && !excluded.has(n.id))
    .sort((a, b) => a.path.localeCompare(b.path, 'vi'));
}
