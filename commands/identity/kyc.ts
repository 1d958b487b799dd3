import { type KycCommand, kycDecider } from '../../domain/identity/kyc.js';
import {
  KYC_CONTENT_TYPES,
  type KycDocument,
  type KycDocumentKind,
  type KycEvent,
  kycStream,
} from '../../domain/identity/kyc-events.js';
import { isDomainError } from '../../domain/shared/decider.js';
import { type CommandResult, commandHandler, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';
import { type FileStorage, newFileKey, type StoredFile } from '../storage/port.js';
import { sniffFile } from '../storage/sniff.js';

export interface KycUpload {
  bytes: Buffer;
  kind: KycDocumentKind;
}

/** Identity verification of owners and experts: uploads checked by content, then the `kyc-<userId>` stream. */
export function kycService(deps: HandlerDeps & { storage: FileStorage }) {
  const handle = commandHandler(deps, {
    decider: kycDecider,
    stream: (command: KycCommand) => kycStream(command.userId),
  });

  /**
   * Every file is sniffed before any is stored; the submission is recorded whole or, when the
   * decision refuses it (already pending, too many…), its files are removed again.
   */
  async function submit(userId: string, uploads: KycUpload[], metadata: CommandMetadata) {
    const documents: (KycDocument & { bytes: Buffer })[] = [];
    for (const [index, upload] of uploads.entries()) {
      const contentType = await sniffFile(upload.bytes, KYC_CONTENT_TYPES, `documents.${index}`);
      if (isDomainError(contentType)) throw contentType;
      const key = newFileKey('kyc', userId, contentType);
      documents.push({ key, contentType, size: upload.bytes.length, kind: upload.kind, bytes: upload.bytes });
    }
    const stored: string[] = [];
    const removeStored = () => Promise.all(stored.map((key) => deps.storage.delete(key).catch(() => undefined)));
    try {
      for (const document of documents) {
        await deps.storage.put(document.key, document.bytes, document.contentType);
        stored.push(document.key);
      }
      const command = {
        type: 'SubmitKyc' as const,
        userId,
        documents: documents.map(({ key, contentType, size, kind }) => ({ key, contentType, size, kind })),
      };
      const result: CommandResult<KycEvent> = await handle(command, metadata);
      // An idempotent retry answers what the first attempt recorded: this attempt's files are not used.
      const recorded = result.events.some(
        (event) => event.type === 'KycSubmitted' && event.data.documents.some((d) => d.key === documents[0]?.key),
      );
      if (!recorded) await removeStored();
      return result;
    } catch (error) {
      await removeStored();
      throw error;
    }
  }

  /** A document of this user's submissions (any of them, for the reviewer's comparison); null for any other key. */
  async function document(userId: string, key: string): Promise<StoredFile | null> {
    for await (const event of deps.store.readStream(kycStream(userId))) {
      if (event.type !== 'KycSubmitted') continue;
      const { documents } = event.data as { documents: KycDocument[] };
      if (documents.some((d) => d.key === key)) return deps.storage.get(key);
    }
    return null;
  }

  return {
    handle,
    submit,
    document,
    verify: (userId: string, metadata: CommandMetadata) => handle({ type: 'VerifyKyc', userId }, metadata),
    reject: (userId: string, reason: string, metadata: CommandMetadata) =>
      handle({ type: 'RejectKyc', userId, reason }, metadata),
  };
}

export type KycService = ReturnType<typeof kycService>;
