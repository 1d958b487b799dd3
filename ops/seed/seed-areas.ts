import { readFile } from 'node:fs/promises';
import { v5 as uuidv5 } from 'uuid';
import { parseAreaFile } from '../../commands/catalog/area-import.js';
import { systemMetadata } from '../../commands/metadata.js';
import type { Services } from '../services.js';

const SEED_FILE = new URL('../../../ops/seed/areas.vn.json', import.meta.url);
const SEED_FILE_IN_SOURCE = new URL('./areas.vn.json', import.meta.url);
const AREA_ID_NAMESPACE = '0b9f6f1e-8a57-4d0e-9d59-5a3c8d1f2e61';

/**
 * Ho Chi Minh City and Hanoi with their districts (as before the 2025 reform, which the
 * SRS's province › district › ward tree follows) and the wards of Quận 1 and Hoàn Kiếm.
 * Runs once: a fixed idempotency key makes a second run find the first one's events.
 */
export async function seedAreas(services: Services): Promise<void> {
  const text = await readFile(SEED_FILE_IN_SOURCE, 'utf8').catch(() => readFile(SEED_FILE, 'utf8'));
  const rows = parseAreaFile(text, 'json', () => '').map((row) => ({
    ...row,
    newId: uuidv5(`${row.parentCode ?? ''}/${row.code ?? row.name}`, AREA_ID_NAMESPACE),
  }));
  const metadata = { ...systemMetadata('seed-areas-v1'), idempotencyKey: 'seed-areas-v1' };
  await services.commands.areas({ type: 'ImportAreas', rows }, metadata);
}
