import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { imageService } from '../../commands/storage/images.js';
import { localDiskStorage } from '../../commands/storage/local-disk.js';
import { type FileStorage, isFileKey } from '../../commands/storage/port.js';
import { LISTING_IMAGE_LIMITS } from '../../domain/catalog/listing-images.js';

let root: string;
let storage: FileStorage;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'listing-images-'));
  storage = localDiskStorage(root);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const canvas = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#3a7bd5' } });
/** EXIF with a copyright text and a GPS position (IFD3): what a phone photo of a room carries. */
const exif = {
  IFD0: { Copyright: 'Chu nha Tran Van B', Make: 'PhoneCam' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '10/1 46/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '106/1 41/1 0/1' },
};
/** Tag 0x8825 (GPSInfo), little-endian as sharp writes it. */
const hasGps = (exifBytes: Buffer | undefined) => exifBytes?.includes(Buffer.from([0x25, 0x88])) ?? false;

/** 1200×600 pixels stored sideways: EXIF orientation 6 means "turn 90° clockwise to view" (600×1200). */
const sidewaysJpeg = () => canvas(1200, 600).jpeg().withExif(exif).withMetadata({ orientation: 6 }).toBuffer();
const png = () => canvas(1000, 700).png().withExif(exif).toBuffer();
const smallWebp = () =>
  canvas(300, 200)
    .webp()
    .withExif(exif)
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>',
    )
    .toBuffer();
const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Files (not folders, not sidecars) stored for a listing. */
async function storedFiles(listingId: string): Promise<string[]> {
  const dir = path.join(root, 'listings', listingId);
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((name) => /\.(jpg|png|webp)$/.test(name));
}

const images = () => imageService({ storage });

describe('storing listing images', () => {
  test('JPEG, PNG and WebP are stored upright without metadata, each with a WebP thumbnail ≤ 480 px wide', async () => {
    const listingId = randomUUID();
    const inputs = [await sidewaysJpeg(), await png(), await smallWebp()];
    const before = await sharp(inputs[0]).metadata();
    expect({ orientation: before.orientation, gps: hasGps(before.exif) }).toEqual({ orientation: 6, gps: true });

    const stored = await images().storeListingImages(
      listingId,
      inputs.map((bytes) => ({ bytes })),
    );

    const expected = [
      { contentType: 'image/jpeg', format: 'jpeg', ext: 'jpg', width: 600, height: 1200, thumb: [480, 960] },
      { contentType: 'image/png', format: 'png', ext: 'png', width: 1000, height: 700, thumb: [480, 336] },
      { contentType: 'image/webp', format: 'webp', ext: 'webp', width: 300, height: 200, thumb: [300, 200] },
    ];
    expect(stored).toHaveLength(3);
    for (const [index, image] of stored.entries()) {
      const want = expected[index];
      if (!want) throw new Error('unexpected image');
      expect(image.key).toMatch(new RegExp(`^listings/${listingId}/[0-9a-f-]{36}\\.${want.ext}$`));
      expect(image.thumbnailKey).toBe(image.key.replace(`.${want.ext}`, '-thumb.webp'));
      expect(isFileKey(image.thumbnailKey)).toBe(true);
      expect(image).toMatchObject({ contentType: want.contentType, width: want.width, height: want.height });

      const original = await storage.get(image.key);
      expect(original?.contentType).toBe(want.contentType);
      expect(original?.bytes.length).toBe(image.size);
      const meta = await sharp(original?.bytes).metadata();
      expect(meta).toMatchObject({ format: want.format, width: want.width, height: want.height });
      expect({ exif: meta.exif, xmp: meta.xmp, orientation: meta.orientation }).toEqual({
        exif: undefined,
        xmp: undefined,
        orientation: undefined,
      });
      expect(original?.bytes.includes('Chu nha')).toBe(false);

      const thumbnail = await storage.get(image.thumbnailKey);
      expect(thumbnail?.contentType).toBe('image/webp');
      const thumbMeta = await sharp(thumbnail?.bytes).metadata();
      expect([thumbMeta.format, thumbMeta.width, thumbMeta.height]).toEqual(['webp', ...want.thumb]);
      expect(thumbMeta.exif).toBeUndefined();
    }
    expect(await storedFiles(listingId)).toHaveLength(6);
  });

  test('a PDF or a text file is refused by content, whatever it is called, naming its index; nothing is stored', async () => {
    const listingId = randomUUID();
    const good = { bytes: await png() };
    for (const [bad, detected] of [
      [pdf, 'application/pdf'],
      [Buffer.from('đây là ảnh phòng, thật mà'), null],
    ] as const) {
      const attempt = images().storeListingImages(listingId, [good, good, { bytes: bad }]);
      await expect(attempt).rejects.toMatchObject({
        kind: 'invalid',
        code: 'FILE_TYPE_NOT_ALLOWED',
        field: 'images.2',
        details: { detected },
      });
    }
    expect(await storedFiles(listingId)).toEqual([]);
  });

  test('an 11 MB image is refused naming its index, before anything is decoded or stored', async () => {
    const listingId = randomUUID();
    // Noise does not compress: an uncompressed PNG of 2000×1900 RGB is about 11.4 MB.
    const width = 2000;
    const height = 1900;
    const big = await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(big.length).toBeGreaterThan(LISTING_IMAGE_LIMITS.bytes);
    const attempt = images().storeListingImages(listingId, [{ bytes: await png() }, { bytes: big }]);
    await expect(attempt).rejects.toMatchObject({ kind: 'invalid', code: 'IMAGE_TOO_LARGE', field: 'images.1' });
    expect(await storedFiles(listingId)).toEqual([]);
  });

  test('eleven files are refused; ten are fine', async () => {
    const listingId = randomUUID();
    const file = { bytes: await canvas(40, 30).jpeg().toBuffer() };
    const eleven = Array.from({ length: 11 }, () => file);
    await expect(images().storeListingImages(listingId, eleven)).rejects.toMatchObject({
      kind: 'invalid',
      code: 'TOO_MANY_IMAGES',
      field: 'images.10',
    });
    expect(await storedFiles(listingId)).toEqual([]);
    expect(await images().storeListingImages(listingId, eleven.slice(1))).toHaveLength(10);
    expect(await storedFiles(listingId)).toHaveLength(20);
  });

  test('bytes that look like an image but do not decode are IMAGE_UNREADABLE; too many pixels is IMAGE_TOO_LARGE', async () => {
    const listingId = randomUUID();
    const truncated = (await png()).subarray(0, 60);
    const jpegHeadNoise = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2000)]);
    for (const broken of [truncated, jpegHeadNoise]) {
      const attempt = images().storeListingImages(listingId, [{ bytes: await png() }, { bytes: broken }]);
      await expect(attempt).rejects.toMatchObject({ kind: 'invalid', code: 'IMAGE_UNREADABLE', field: 'images.1' });
    }
    // A decompression bomb: 8000×7000 of one colour is a small file but 56 million pixels.
    const bomb = await canvas(8000, 7000).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(LISTING_IMAGE_LIMITS.bytes);
    await expect(images().storeListingImages(listingId, [{ bytes: bomb }])).rejects.toMatchObject({
      code: 'IMAGE_TOO_LARGE',
      field: 'images.0',
    });
    expect(await storedFiles(listingId)).toEqual([]);
  });

  test.each([
    ['the original of the 2nd file', 3],
    ['the thumbnail of the 2nd file', 4],
  ])('when storing %s fails, everything this call stored is removed', async (_what, failingPut) => {
    const listingId = randomUUID();
    let puts = 0;
    const failing: FileStorage = {
      ...storage,
      async put(key, bytes, contentType) {
        puts += 1;
        if (puts === failingPut) throw new Error('disk full');
        return storage.put(key, bytes, contentType);
      },
    };
    const files = [{ bytes: await png() }, { bytes: await sidewaysJpeg() }, { bytes: await smallWebp() }];
    await expect(imageService({ storage: failing }).storeListingImages(listingId, files)).rejects.toThrow('disk full');
    expect(puts).toBe(failingPut);
    expect(await storedFiles(listingId)).toEqual([]);
  });

  test('removeListingImages deletes originals and thumbnails; removing again is fine', async () => {
    const listingId = randomUUID();
    const service = images();
    const stored = await service.storeListingImages(listingId, [{ bytes: await png() }, { bytes: await smallWebp() }]);
    expect(await storedFiles(listingId)).toHaveLength(4);
    await service.removeListingImages(stored.slice(0, 1));
    expect(await storage.get(stored[0]?.key ?? '')).toBeNull();
    expect(await storage.get(stored[0]?.thumbnailKey ?? '')).toBeNull();
    expect(await storedFiles(listingId)).toHaveLength(2);
    await service.removeListingImages(stored);
    expect(await storedFiles(listingId)).toEqual([]);
  });
});
