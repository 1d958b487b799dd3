import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type AreaCommand, type AreaContext, areaCatalog } from '../../domain/catalog/area-catalog.js';
import type { AreaEvent } from '../../domain/catalog/area-events.js';
import { fold, isDomainError } from '../../domain/shared/decider.js';
import { scenario, testContext } from '../support/given-when-then.js';

const ctx = (uses: Record<string, number> = {}): AreaContext => ({ ...testContext(), usesOf: (id) => uses[id] ?? 0 });
const catalog = (uses?: Record<string, number>) => scenario(areaCatalog, ctx(uses));

const hcm: AreaEvent = {
  type: 'AreaCreated',
  data: { areaId: 'hcm', name: 'Thành phố Hồ Chí Minh', level: 'province', parentId: null, code: '79', hot: false },
};
const q1: AreaEvent = {
  type: 'AreaCreated',
  data: { areaId: 'q1', name: 'Quận 1', level: 'district', parentId: 'hcm', code: '760', hot: false },
};
const hn: AreaEvent = {
  type: 'AreaCreated',
  data: { areaId: 'hn', name: 'Thành phố Hà Nội', level: 'province', parentId: null, code: '01', hot: false },
};

describe('creating areas', () => {
  test('a province at the root', () => {
    catalog()
      .given([])
      .when({
        type: 'CreateArea',
        areaId: 'hcm',
        name: '  Thành phố  Hồ Chí Minh ',
        level: 'province',
        parentId: null,
        code: '79',
      })
      .thenEmits([hcm]);
  });

  test('a district under its province', () => {
    catalog()
      .given([hcm])
      .when({ type: 'CreateArea', areaId: 'q1', name: 'Quận 1', level: 'district', parentId: 'hcm', code: '760' })
      .thenEmits([q1]);
  });

  test('a name taken by a sibling is refused, whatever its case', () => {
    catalog()
      .given([hcm, q1])
      .when({ type: 'CreateArea', areaId: 'x', name: 'quận 1', level: 'district', parentId: 'hcm', code: null })
      .thenFails('AREA_NAME_TAKEN', 'name');
  });

  test('the same name under another parent is fine', () => {
    catalog()
      .given([hcm, q1, hn])
      .when({ type: 'CreateArea', areaId: 'x', name: 'Quận 1', level: 'district', parentId: 'hn', code: null })
      .thenEmits([
        {
          type: 'AreaCreated',
          data: { areaId: 'x', name: 'Quận 1', level: 'district', parentId: 'hn', code: null, hot: false },
        },
      ]);
  });

  test('a district needs a province as parent', () => {
    catalog()
      .given([hcm, q1])
      .when({ type: 'CreateArea', areaId: 'x', name: 'Quận 3', level: 'district', parentId: 'q1', code: null })
      .thenFails('AREA_PARENT_INVALID', 'parentId');
    catalog()
      .given([])
      .when({ type: 'CreateArea', areaId: 'x', name: 'Quận 3', level: 'district', parentId: null, code: null })
      .thenFails('AREA_PARENT_INVALID', 'parentId');
  });

  test('a ward may sit under a district or, since 2025, directly under a province', () => {
    catalog()
      .given([hcm])
      .when({ type: 'CreateArea', areaId: 'w', name: 'Phường Sài Gòn', level: 'ward', parentId: 'hcm', code: null })
      .thenEmits([
        {
          type: 'AreaCreated',
          data: { areaId: 'w', name: 'Phường Sài Gòn', level: 'ward', parentId: 'hcm', code: null, hot: false },
        },
      ]);
  });

  test('an unknown parent, an empty name and a duplicate code are refused', () => {
    catalog()
      .given([])
      .when({ type: 'CreateArea', areaId: 'x', name: 'Quận 3', level: 'district', parentId: 'nope', code: null })
      .thenFails('AREA_PARENT_INVALID', 'parentId');
    catalog()
      .given([])
      .when({ type: 'CreateArea', areaId: 'x', name: '   ', level: 'province', parentId: null, code: null })
      .thenFails('AREA_NAME_INVALID', 'name');
    catalog()
      .given([hcm])
      .when({ type: 'CreateArea', areaId: 'x', name: 'Khác', level: 'province', parentId: null, code: '79' })
      .thenFails('AREA_CODE_TAKEN', 'code');
  });
});

describe('changing areas', () => {
  test('rename, move and mark hot record the previous values', () => {
    catalog()
      .given([hcm, q1])
      .when({ type: 'UpdateArea', areaId: 'q1', name: 'Quận Một' })
      .thenEmits([{ type: 'AreaRenamed', data: { areaId: 'q1', name: 'Quận Một', previousName: 'Quận 1' } }]);
    catalog()
      .given([hcm, q1, hn])
      .when({ type: 'UpdateArea', areaId: 'q1', parentId: 'hn' })
      .thenEmits([{ type: 'AreaMoved', data: { areaId: 'q1', parentId: 'hn', previousParentId: 'hcm' } }]);
    catalog()
      .given([hcm, q1])
      .when({ type: 'UpdateArea', areaId: 'q1', hot: true })
      .thenEmits([{ type: 'AreaHotMarked', data: { areaId: 'q1', hot: true } }]);
  });

  test('one update renames, moves and marks hot together, or does nothing at all', () => {
    catalog()
      .given([hcm, q1, hn])
      .when({ type: 'UpdateArea', areaId: 'q1', name: 'Ba Đình', parentId: 'hn', hot: true })
      .thenEmits([
        { type: 'AreaRenamed', data: { areaId: 'q1', name: 'Ba Đình', previousName: 'Quận 1' } },
        { type: 'AreaMoved', data: { areaId: 'q1', parentId: 'hn', previousParentId: 'hcm' } },
        { type: 'AreaHotMarked', data: { areaId: 'q1', hot: true } },
      ]);
    const q1InHanoi: AreaEvent = { type: 'AreaCreated', data: { ...q1.data, areaId: 'hn-q1', parentId: 'hn' } };
    catalog()
      .given([hcm, q1, hn, q1InHanoi])
      .when({ type: 'UpdateArea', areaId: 'q1', parentId: 'hn', hot: true })
      .thenFails('AREA_NAME_TAKEN', 'name');
  });

  test('changes that change nothing record nothing', () => {
    catalog().given([hcm, q1]).when({ type: 'UpdateArea', areaId: 'q1', name: 'Quận 1' }).thenEmits([]);
    catalog().given([hcm, q1]).when({ type: 'UpdateArea', areaId: 'q1', hot: false }).thenEmits([]);
  });

  test('an unknown area is not found', () => {
    catalog().given([hcm]).when({ type: 'UpdateArea', areaId: 'nope', name: 'X' }).thenFails('AREA_NOT_FOUND');
  });

  test('an area cannot be deleted while it has children or is used', () => {
    catalog().given([hcm, q1]).when({ type: 'DeleteArea', areaId: 'hcm' }).thenFails('AREA_IN_USE');
    catalog({ q1: 3 }).given([hcm, q1]).when({ type: 'DeleteArea', areaId: 'q1' }).thenFails('AREA_IN_USE');
    catalog()
      .given([hcm, q1])
      .when({ type: 'DeleteArea', areaId: 'q1' })
      .thenEmits([{ type: 'AreaDeleted', data: { areaId: 'q1', name: 'Quận 1' } }]);
  });
});

describe('importing areas', () => {
  const row = (
    n: number,
    id: string,
    name: string,
    level: 'province' | 'district' | 'ward',
    parentId: string | null,
  ) => ({
    row: n,
    id,
    newId: id,
    name,
    level,
    parentId,
    parentCode: null,
    code: null,
    hot: false,
  });

  test('creates new rows in file order and updates existing ones', () => {
    const events = areaCatalog.decide(
      {
        type: 'ImportAreas',
        rows: [
          row(1, 'hcm', 'TP. Hồ Chí Minh', 'province', null),
          row(2, 'q3', 'Quận 3', 'district', 'hcm'),
          { ...row(3, 'q1', 'Quận 1', 'district', 'hcm'), hot: true },
        ],
      },
      fold(areaCatalog, [hcm, q1]),
      ctx(),
    );
    expect(isDomainError(events) ? events.message : events.map((e) => e.type)).toEqual([
      'AreaRenamed',
      'AreaCreated',
      'AreaHotMarked',
    ]);
  });

  test('rows without ids match existing areas by code and find parents by code', () => {
    const events = areaCatalog.decide(
      {
        type: 'ImportAreas',
        rows: [
          { ...row(1, 'new-hcm', 'TP.HCM', 'province', null), id: null, code: '79' },
          { ...row(2, 'q3', 'Quận 3', 'district', null), id: null, code: '770', parentCode: '79' },
        ],
      },
      fold(areaCatalog, [hcm]),
      ctx(),
    );
    expect(events).toEqual([
      { type: 'AreaRenamed', data: { areaId: 'hcm', name: 'TP.HCM', previousName: 'Thành phố Hồ Chí Minh' } },
      {
        type: 'AreaCreated',
        data: { areaId: 'q3', name: 'Quận 3', level: 'district', parentId: 'hcm', code: '770', hot: false },
      },
    ]);
  });

  test('one bad row refuses the whole file, naming every bad row', () => {
    const decision = scenario(areaCatalog, ctx())
      .given([hcm])
      .when({
        type: 'ImportAreas',
        rows: [
          row(1, 'q3', 'Quận 3', 'district', 'hcm'),
          row(2, 'x', 'Quận 3', 'district', 'hcm'),
          row(3, 'y', 'Phường 1', 'ward', 'missing'),
        ],
      })
      .thenFails('IMPORT_INVALID');
    expect(decision.details).toEqual({
      rows: [
        { row: 2, field: 'name', message: expect.stringContaining('Quận 3') },
        { row: 3, field: 'parentId', message: expect.stringContaining('missing') },
      ],
    });
  });

  test('the state given to decide is left as it was', () => {
    const state = fold(areaCatalog, [hcm]);
    areaCatalog.decide({ type: 'ImportAreas', rows: [row(1, 'q3', 'Quận 3', 'district', 'hcm')] }, state, ctx());
    expect([...state.areas.keys()]).toEqual(['hcm']);
  });
});

test('property: whatever commands arrive, the tree stays well formed', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const names = ['Quận 1', 'quận 1', 'Ba Đình', 'Hải Châu'];
  const levels = ['province', 'district', 'ward'] as const;
  const command: fc.Arbitrary<AreaCommand> = fc.oneof(
    fc.record({
      type: fc.constant('CreateArea' as const),
      areaId: fc.constantFrom(...ids),
      name: fc.constantFrom(...names),
      level: fc.constantFrom(...levels),
      parentId: fc.option(fc.constantFrom(...ids), { nil: null }),
      code: fc.constant(null),
    }),
    fc.record(
      {
        type: fc.constant('UpdateArea' as const),
        areaId: fc.constantFrom(...ids),
        name: fc.constantFrom(...names),
        parentId: fc.constantFrom(...ids),
        hot: fc.boolean(),
      },
      { requiredKeys: ['type', 'areaId'] },
    ),
    fc.record({ type: fc.constant('DeleteArea' as const), areaId: fc.constantFrom(...ids) }),
  );
  fc.assert(
    fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
      let state = areaCatalog.initialState();
      for (const c of commands) {
        const decision = areaCatalog.decide(c, state, ctx());
        if (!isDomainError(decision)) for (const e of decision) state = areaCatalog.evolve(state, e);
      }
      const areas = [...state.areas.values()];
      for (const area of areas) {
        const parent = area.parentId === null ? null : state.areas.get(area.parentId);
        if (area.parentId !== null) expect(parent).toBeDefined();
        if (area.level === 'province') expect(parent).toBeNull();
        if (area.level === 'district') expect(parent?.level).toBe('province');
        if (area.level === 'ward') expect(['district', 'province']).toContain(parent?.level);
        const siblings = areas.filter((o) => o.parentId === area.parentId && o.id !== area.id);
        expect(siblings.map((s) => s.name.toLowerCase())).not.toContain(area.name.toLowerCase());
      }
    }),
    { numRuns: 300 },
  );
});
