import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type FileStorage, isFileKey, type StoredFile } from './port.js';

/** Written beside each file: the content type it was stored with. */
interface Sidecar {
  contentType: string;
  size: number;
}

const SIDECAR = '.meta.json';

/**
 * Files on the local disk under `root` (DATA_DIR/uploads). A key must match FILE_KEY_PATTERN and
 * resolve inside `root`, so `..`, absolute paths and odd characters never reach the file system.
 * Writes go to a temporary name first and are renamed into place, so a reader never sees half a file.
 */
export function localDiskStorage(root: string): FileStorage {
  const base = path.resolve(root);

  const fileOf = (key: string): string => {
    const file = path.resolve(base, key);
    if (!isFileKey(key) || !file.startsWith(`${base}${path.sep}`)) {
      throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
    }
    return file;
  };

  const writeAtomically = async (file: string, data: Buffer | string) => {
    const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(temporary, data, { mode: 0o640 });
    await rename(temporary, file);
  };

  return {
    async put(key, bytes, contentType) {
      const file = fileOf(key);
      // The uploads root and its parents get the default mode: DATA_DIR also holds the embedded
      // Postgres, whose server runs as another user and must traverse it. Below the root, 0750.
      await mkdir(base, { recursive: true });
      await mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
      const sidecar: Sidecar = { contentType, size: bytes.length };
      await writeAtomically(`${file}${SIDECAR}`, JSON.stringify(sidecar));
      await writeAtomically(file, bytes);
      return { key, size: bytes.length };
    },

    async get(key): Promise<StoredFile | null> {
      if (!isFileKey(key)) return null;
      const file = fileOf(key);
      try {
        const [bytes, sidecar] = await Promise.all([readFile(file), readFile(`${file}${SIDECAR}`, 'utf8')]);
        return { bytes, contentType: (JSON.parse(sidecar) as Sidecar).contentType };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },

    async delete(key) {
      const file = fileOf(key);
      await rm(file, { force: true });
      await rm(`${file}${SIDECAR}`, { force: true });
    },
  };
}
