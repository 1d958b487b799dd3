/** Image types a listing accepts, decided by the file's content (never its name or declared type). */
export const LISTING_IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ListingImageContentType = (typeof LISTING_IMAGE_CONTENT_TYPES)[number];

/** Per upload request: at most 10 files of at most 10 MiB each. */
export const LISTING_IMAGE_LIMITS = { files: 10, bytes: 10 * 1024 * 1024 } as const;

/** Thumbnails are WebP, at most this wide (never enlarged). */
export const LISTING_THUMBNAIL_MAX_WIDTH = 480;
export const LISTING_THUMBNAIL_CONTENT_TYPE = 'image/webp';

/** Every listing image lives under this storage folder (the only one served publicly). */
export const LISTING_IMAGE_FOLDER = 'listings';

/**
 * A stored listing image as events keep it: storage keys of the cleaned original (upright, no
 * metadata, same format) and of its thumbnail; width, height and size in bytes are the original's.
 */
export interface ListingImage {
  key: string;
  thumbnailKey: string;
  contentType: ListingImageContentType;
  width: number;
  height: number;
  size: number;
}
