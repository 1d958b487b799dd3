import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newFileKey } from '../../commands/storage/port.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { PDF, png } from '../support/people.js';

let t: TestApp;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'images-api-'));
  t = await startTestApp({ dataDir });
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

const get = (key: string) => fetch(`${t.url}/api/v1/images/${key}`);

describe('GET /api/v1/images/*', () => {
  test('serves a stored listing image and its thumbnail, public and immutable', async () => {
    const [image] = await t.app.services.images.storeListingImages(randomUUID(), [{ bytes: await png(600) }]);
    if (!image) throw new Error('nothing stored');

    const original = await get(image.key);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/png');
    expect(original.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    expect(original.headers.get('x-ratelimit-limit')).toBeNull();
    const bytes = Buffer.from(await original.arrayBuffer());
    expect(bytes.length).toBe(image.size);
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: 600, height: 600 });

    const thumbnail = await get(image.thumbnailKey);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).toMatchObject({
      format: 'webp',
      width: 480,
    });
  });

  test('a KYC document, a missing image or a way out of listings/ is a 404', async () => {
    const kycKey = newFileKey('kyc', randomUUID(), 'application/pdf');
    await t.app.services.storage.put(kycKey, PDF, 'application/pdf');
    expect(await t.app.services.storage.get(kycKey)).not.toBeNull(); // the file is there, yet not served

    const missing = newFileKey('listings', randomUUID(), 'image/jpeg');
    for (const key of [kycKey, missing, `listings/%2e%2e/${kycKey}`, 'listings/', 'listings/A/B.png']) {
      const answer = await t.call('GET', `/api/v1/images/${key}`);
      expect({ key, status: answer.status, code: answer.body.error?.code }).toEqual({
        key,
        status: 404,
        code: 'IMAGE_NOT_FOUND',
      });
    }
  });
});
