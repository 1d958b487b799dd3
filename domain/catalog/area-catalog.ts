import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.js';
import type { AreaEvent, AreaLevel } from './area-events.js';

export interface Area {
  id: string;
  name: string;
  level: AreaLevel;
  parentId: string | null;
  code: string | null;
  hot: boolean;
}

export interface AreaCatalogState {
  areas: Map<string, Area>;
}

export interface ImportRow {
  /** 1-based position of the record in the file, for error messages. */
  row: number;
  /** Matches an existing area by id, else by code; a row matching none creates `newId`. */
  id: string | null;
  newId: string;
  name: string;
  level: AreaLevel;
  /** The parent by id, or by administrative code (official lists carry codes, not our ids). */
  parentId: string | null;
  parentCode: string | null;
  code: string | null;
  hot: boolean;
}

export type AreaCommand =
  | { type: 'CreateArea'; areaId: string; name: string; level: AreaLevel; parentId: string | null; code: string | null }
  | { type: 'UpdateArea'; areaId: string; name?: string; parentId?: string; hot?: boolean }
  | { type: 'DeleteArea'; areaId: string }
  | { type: 'ImportAreas'; rows: ImportRow[] };

export interface AreaContext extends DecisionContext {
  /** How many listings, projects or staff assignments refer to each area (from read models). */
  usesOf(areaId: string): number;
}

export interface ImportRowError {
  row: number;
  field: string;
  message: string;
}

const allowedParents: Record<AreaLevel, readonly (AreaLevel | null)[]> = {
  province: [null],
  district: ['province'],
  // Since Vietnam's 2025 reform most wards sit directly under a province.
  ward: ['district', 'province'],
};

const sameName = (a: string, b: string) =>
  a.normalize('NFC').toLocaleLowerCase('vi') === b.normalize('NFC').toLocaleLowerCase('vi');
const cleanName = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ');

/** Updates the map it owns (see Decider) and returns it. */
const evolveAreas = (next: Map<string, Area>, event: AreaEvent): Map<string, Area> => {
  const d = event.data;
  const existing = next.get(d.areaId);
  switch (event.type) {
    case 'AreaCreated':
      next.set(d.areaId, { ...event.data, id: event.data.areaId });
      break;
    case 'AreaRenamed':
      if (existing) next.set(d.areaId, { ...existing, name: event.data.name });
      break;
    case 'AreaMoved':
      if (existing) next.set(d.areaId, { ...existing, parentId: event.data.parentId });
      break;
    case 'AreaHotMarked':
      if (existing) next.set(d.areaId, { ...existing, hot: event.data.hot });
      break;
    case 'AreaDeleted':
      next.delete(d.areaId);
      break;
  }
  return next;
};

/** Checks a name and a parent for an area; returns the refusal or null. */
function placementError(
  areas: ReadonlyMap<string, Area>,
  self: { id: string; name: string; level: AreaLevel; parentId: string | null },
): DomainError | null {
  if (self.name.length === 0 || self.name.length > 120) {
    return invalid('AREA_NAME_INVALID', 'Tên khu vực phải có từ 1 đến 120 ký tự', 'name');
  }
  const parent = self.parentId === null ? null : areas.get(self.parentId);
  if (self.parentId !== null && !parent) {
    return invalid('AREA_PARENT_INVALID', `Khu vực cha ${self.parentId} không tồn tại`, 'parentId');
  }
  if (!allowedParents[self.level].includes(parent?.level ?? null)) {
    const expected = allowedParents[self.level].map((l) => l ?? 'none').join(' or ');
    return invalid('AREA_PARENT_INVALID', `A ${self.level} must be placed under: ${expected}`, 'parentId');
  }
  for (let up = parent; up; up = up.parentId === null ? undefined : areas.get(up.parentId)) {
    if (up.id === self.id) return invalid('AREA_PARENT_INVALID', 'An area cannot be moved under itself', 'parentId');
  }
  for (const other of areas.values()) {
    if (other.id !== self.id && other.parentId === self.parentId && sameName(other.name, self.name)) {
      return conflictOnField('AREA_NAME_TAKEN', `"${self.name}" đã tồn tại ở cấp này`, 'name');
    }
  }
  return null;
}

const conflictOnField = (code: string, message: string, field: string) =>
  new DomainError('conflict', code, message, { field });

function decideOne(state: AreaCatalogState, command: Exclude<AreaCommand, { type: 'ImportAreas' }>, ctx: AreaContext) {
  const { areas } = state;
  if (command.type === 'CreateArea') {
    if (areas.has(command.areaId)) return conflict('AREA_EXISTS', `Area ${command.areaId} already exists`);
    const name = cleanName(command.name);
    const error = placementError(areas, { id: command.areaId, name, level: command.level, parentId: command.parentId });
    if (error) return error;
    if (command.code !== null && [...areas.values()].some((a) => a.code === command.code)) {
      return conflictOnField('AREA_CODE_TAKEN', `Mã khu vực ${command.code} đã được dùng`, 'code');
    }
    const { areaId, level, parentId, code } = command;
    return [{ type: 'AreaCreated' as const, data: { areaId, name, level, parentId, code, hot: false } }];
  }
  const area = areas.get(command.areaId);
  if (!area) return notFound('AREA_NOT_FOUND', `Area ${command.areaId} does not exist`);
  switch (command.type) {
    case 'UpdateArea': {
      const name = command.name === undefined ? area.name : cleanName(command.name);
      const parentId = command.parentId ?? area.parentId;
      const error = placementError(areas, { ...area, name, parentId });
      if (error) return error;
      const events: AreaEvent[] = [];
      if (name !== area.name)
        events.push({ type: 'AreaRenamed', data: { areaId: area.id, name, previousName: area.name } });
      if (parentId !== area.parentId && parentId !== null) {
        events.push({ type: 'AreaMoved', data: { areaId: area.id, parentId, previousParentId: area.parentId } });
      }
      if (command.hot !== undefined && command.hot !== area.hot) {
        events.push({ type: 'AreaHotMarked', data: { areaId: area.id, hot: command.hot } });
      }
      return events;
    }
    case 'DeleteArea': {
      const children = [...areas.values()].filter((a) => a.parentId === area.id).length;
      const uses = ctx.usesOf(area.id);
      if (children > 0 || uses > 0) {
        return conflict(
          'AREA_IN_USE',
          `Không thể xóa "${area.name}": còn ${children} khu vực con và ${uses} nơi sử dụng`,
          {
            children,
            uses,
          },
        );
      }
      return [{ type: 'AreaDeleted' as const, data: { areaId: area.id, name: area.name } }];
    }
  }
}

/** An import is one decision: every row valid, or nothing at all. Rows apply in file order. */
function decideImport(state: AreaCatalogState, rows: ImportRow[], ctx: AreaContext): AreaEvent[] | DomainError {
  const events: AreaEvent[] = [];
  const errors: ImportRowError[] = [];
  // A working copy: evolve updates it row by row, the caller's state stays as it was.
  const current: AreaCatalogState = { areas: new Map(state.areas) };
  const byCode = (code: string | null) =>
    code === null ? undefined : [...current.areas.values()].find((a) => a.code === code);
  for (const row of rows) {
    const existing = (row.id === null ? undefined : current.areas.get(row.id)) ?? byCode(row.code);
    const id = existing?.id ?? row.id ?? row.newId;
    const parentId = row.parentId ?? (row.parentCode === null ? null : (byCode(row.parentCode)?.id ?? row.parentCode));
    const commands: Exclude<AreaCommand, { type: 'ImportAreas' }>[] = existing
      ? [{ type: 'UpdateArea', areaId: id, name: row.name, hot: row.hot, ...(parentId !== null && { parentId }) }]
      : [
          { type: 'CreateArea', areaId: id, name: row.name, level: row.level, parentId, code: row.code },
          ...(row.hot ? [{ type: 'UpdateArea' as const, areaId: id, hot: true }] : []),
        ];
    if (existing && existing.level !== row.level) {
      errors.push({
        row: row.row,
        field: 'level',
        message: `Area ${id} is a ${existing.level}, not a ${row.level}`,
      });
      continue;
    }
    for (const command of commands) {
      const decision = decideOne(current, command, ctx);
      if (decision instanceof DomainError) {
        errors.push({ row: row.row, field: decision.field ?? 'id', message: decision.message });
        break;
      }
      for (const event of decision) evolveAreas(current.areas, event);
      events.push(...decision);
    }
  }
  if (errors.length > 0) {
    return new DomainError('invalid', 'IMPORT_INVALID', `${errors.length} dòng không hợp lệ; không có gì được nhập`, {
      details: { rows: errors },
    });
  }
  return events;
}

export const areaCatalog: Decider<AreaCommand, AreaCatalogState, AreaEvent, AreaContext> = {
  initialState: () => ({ areas: new Map() }),
  evolve: (state, event) => ({ areas: evolveAreas(state.areas, event) }),
  decide: (command, state, ctx) =>
    command.type === 'ImportAreas' ? decideImport(state, command.rows, ctx) : decideOne(state, command, ctx),
};
