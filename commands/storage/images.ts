import sharp, { type Metadata, type Sharp } from 'sharp';
import {
  LISTING_IMAGE_CONTENT_TYPES,
  LISTING_IMAGE_LIMITS,
  LISTING_THUMBNAIL_CONTENT_TYPE,
  LISTING_THUMBNAIL_MAX_WIDTH,
  type ListingImage,
  type ListingImageContentType,
} from '../../domain/catalog/listing-images.js';
import { isDomainError } from '../../domain/shared/decider.js';
import { DomainError, invalid } from '../../domain/shared/errors.js';
import { type FileStorage, newFileKey } from './port.js';
import { sniffFile } from './sniff.js';

/** Refuses decompression bombs (a 10 MB PNG may claim billions of pixels); 48 MP phone photos pass. */
export const LISTING_IMAGE_MAX_PIXELS = 50_000_000;

/** `listings/<id>/<uuid>.jpg` → `listings/<id>/<uuid>-thumb.webp` (same folder, still a valid file key). */
export function thumbnailKeyOf(key: string): string {
  const dot = key.lastIndexOf('.');
  const base = dot > key.lastIndexOf('/') ? key.slice(0, dot) : key;
  return `${base}-thumb.webp`;
}

interface Checked {
  bytes: Buffer;
  type: ListingImageContentType;
}

interface Encoded {
  image: ListingImage;
  original: Buffer;
  thumbnail: Buffer;
}

const decoder = (bytes: Buffer): Sharp =>
  sharp(bytes, { limitInputPixels: LISTING_IMAGE_MAX_PIXELS, failOn: 'error', animated: false, autoOrient: true });

/** Re-encodes in the image's own format: EXIF (GPS, camera, orientation already applied), XMP and comments go. */
function cleanOriginal(bytes: Buffer, type: ListingImageContentType): Sharp {
  const image = decoder(bytes);
  if (type === 'image/jpeg') return image.jpeg({ quality: 90 });
  if (type === 'image/png') return image.png();
  return image.webp({ quality: 90 });
}

async function encode(listingId: string, { bytes, type }: Checked, index: number): Promise<Encoded> {
  const field = `images.${index}`;
  const ordinal = index + 1;
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes).metadata();
  } catch {
    throw invalid('IMAGE_UNREADABLE', `Không đọc được ảnh số ${ordinal} (tệp hỏng)`, field);
  }
  if ((metadata.width ?? 0) * (metadata.height ?? 0) > LISTING_IMAGE_MAX_PIXELS) {
    throw new DomainError('invalid', 'IMAGE_TOO_LARGE', `Ảnh số ${ordinal} có quá nhiều điểm ảnh (tối đa 50 triệu)`, {
      field,
      details: { maxPixels: LISTING_IMAGE_MAX_PIXELS },
    });
  }
  try {
    const original = await cleanOriginal(bytes, type).toBuffer({ resolveWithObject: true });
    const thumbnail = await decoder(bytes)
      .resize({ width: LISTING_THUMBNAIL_MAX_WIDTH, withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    const key = newFileKey('listings', listingId, type);
    const { width, height, size } = original.info;
    const image: ListingImage = { key, thumbnailKey: thumbnailKeyOf(key), contentType: type, width, height, size };
    return { image, original: original.data, thumbnail };
  } catch {
    throw invalid('IMAGE_UNREADABLE', `Không đọc được ảnh số ${ordinal} (tệp hỏng)`, field);
  }
}

/** Checks before any decoding: how many files, how big, what they are by content. */
async function checkUploads(files: readonly { bytes: Buffer }[]): Promise<Checked[]> {
  if (files.length > LISTING_IMAGE_LIMITS.files) {
    throw new DomainError('invalid', 'TOO_MANY_IMAGES', `Tối đa ${LISTING_IMAGE_LIMITS.files} ảnh mỗi lần tải lên`, {
      field: `images.${LISTING_IMAGE_LIMITS.files}`,
      details: { maxFiles: LISTING_IMAGE_LIMITS.files },
    });
  }
  const checked: Checked[] = [];
  for (const [index, file] of files.entries()) {
    if (file.bytes.length > LISTING_IMAGE_LIMITS.bytes) {
      throw new DomainError('invalid', 'IMAGE_TOO_LARGE', `Ảnh số ${index + 1} vượt quá 10 MB`, {
        field: `images.${index}`,
        details: { maxBytes: LISTING_IMAGE_LIMITS.bytes },
      });
    }
    const type = await sniffFile(file.bytes, LISTING_IMAGE_CONTENT_TYPES, `images.${index}`);
    if (isDomainError(type)) throw type;
    checked.push({ bytes: file.bytes, type });
  }
  return checked;
}

/**
 * Listing images: validated by content, cleaned of metadata, thumbnailed, stored under
 * `listings/<listingId>/`. The listing's events keep only the resulting keys.
 */
export function imageService(deps: { storage: FileStorage }) {
  const { storage } = deps;

  /** Deletes originals and thumbnails; tries every file, then rejects with the first failure if any. */
  async function removeListingImages(images: readonly Pick<ListingImage, 'key' | 'thumbnailKey'>[]): Promise<void> {
    const keys = images.flatMap((image) => [image.key, image.thumbnailKey]);
    const results = await Promise.allSettled(keys.map((key) => storage.delete(key)));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Every file is checked and encoded before any is stored; a storage failure half-way removes
   * what this call stored (a failed put may have left part of its file, so its keys go too).
   */
  async function storeListingImages(listingId: string, files: readonly { bytes: Buffer }[]): Promise<ListingImage[]> {
    const encoded: Encoded[] = [];
    for (const [index, file] of (await checkUploads(files)).entries()) {
      // One at a time: each decode may hold ~150 MB of pixels.
      encoded.push(await encode(listingId, file, index));
    }
    const attempted: ListingImage[] = [];
    try {
      for (const { image, original, thumbnail } of encoded) {
        attempted.push(image);
        await storage.put(image.key, original, image.contentType);
        await storage.put(image.thumbnailKey, thumbnail, LISTING_THUMBNAIL_CONTENT_TYPE);
      }
    } catch (error) {
      await removeListingImages(attempted).catch(() => undefined);
      throw error;
    }
    return encoded.map(({ image }) => image);
  }

  return { storeListingImages, removeListingImages };
}

export type ImageService = ReturnType<typeof imageService>;
