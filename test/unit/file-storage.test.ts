import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { avatarThumbnail } from '../../commands/identity/profiles.js';
import { localDiskStorage } from '../../commands/storage/local-disk.js';
import { isFileKey, newFileKey } from '../../commands/storage/port.js';
import { sniffFile } from '../../commands/storage/sniff.js';
import { DomainError } from '../../domain/shared/errors.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'storage-test-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const png = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: '#0a7' } })
    .png()
    .toBuffer();
const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('file storage on local disk', () => {
  test('puts, gets with the stored type, deletes', async () => {
    const storage = localDiskStorage(root);
    const key = newFileKey('kyc', 'c0ffee00-0000-4000-8000-000000000001', 'application/pdf');
    expect(key).toMatch(/^kyc\/c0ffee00-0000-4000-8000-000000000001\/[0-9a-f-]{36}\.pdf$/);
    expect(await storage.put(key, pdf, 'application/pdf')).toEqual({ key, size: pdf.length });
    expect(await storage.get(key)).toEqual({ bytes: pdf, contentType: 'application/pdf' });
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
    await storage.delete(key); // twice is fine
  });

  test('refuses keys that could leave the root or were not generated', async () => {
    const storage = localDiskStorage(path.join(root, 'inner'));
    for (const key of ['../escape.png', '/etc/passwd', 'a/../../b.png', 'a//b', 'A/B.png', 'photo.png.exe.txt', '']) {
      expect(isFileKey(key)).toBe(false);
      await expect(storage.put(key, pdf, 'application/pdf')).rejects.toThrow(/Invalid storage key/);
      expect(await storage.get(key)).toBeNull();
    }
    expect(await readdir(root)).not.toContain('escape.png');
  });
});

describe('sniffing by content', () => {
  test('knows PNG, JPEG, WebP and PDF by their bytes, whatever their name', async () => {
    const image = await png();
    expect(await sniffFile(image, ['image/png'])).toBe('image/png');
    expect(await sniffFile(await sharp(image).jpeg().toBuffer(), ['image/jpeg', 'image/png'])).toBe('image/jpeg');
    expect(await sniffFile(await sharp(image).webp().toBuffer(), ['image/webp'])).toBe('image/webp');
    expect(await sniffFile(pdf, ['application/pdf', 'image/png'])).toBe('application/pdf');
  });

  test('anything else is FILE_TYPE_NOT_ALLOWED on the field', async () => {
    for (const bytes of [
      pdf,
      Buffer.from('<script>alert(1)</script>'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      Buffer.from('MZ\x90\x00\x03'),
      Buffer.alloc(0),
    ]) {
      const result = await sniffFile(bytes, ['image/png', 'image/jpeg', 'image/webp'], 'documents.2');
      expect(result).toBeInstanceOf(DomainError);
      expect(result).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED', field: 'documents.2', status: 400 });
    }
  });

  test('avatars become 256×256 WebP without metadata; a broken image is refused', async () => {
    const big = await sharp({ create: { width: 600, height: 300, channels: 3, background: '#f00' } })
      .jpeg()
      .withMetadata({ exif: { IFD0: { Copyright: 'secret location' } } })
      .toBuffer();
    const thumbnail = await avatarThumbnail(big);
    const meta = await sharp(thumbnail).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });
    expect(meta.exif).toBeUndefined();
    const truncated = (await png()).subarray(0, 40);
    await expect(avatarThumbnail(truncated)).rejects.toMatchObject({ code: 'IMAGE_INVALID', field: 'file' });
  });
});
