import { type ExpertCommand, type ExpertContext, expertDecider } from '../../domain/booking/expert.js';
import {
  DOCUMENT_CONTENT_TYPES,
  type ExpertDocument,
  type ExpertEvent,
  expertStream,
} from '../../domain/booking/expert-events.js';
import { isDomainError } from '../../domain/shared/decider.js';
import { type CommandResult, commandHandler, currentState, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';
import { type FileStorage, newFileKey, type StoredFile } from '../storage/port.js';
import { sniffFile } from '../storage/sniff.js';
import { loadSpecialtyCatalog } from './specialties.js';

const NO_SPECIALTIES = { specialties: new Map<string, { active: boolean }>() };

/** A credential as the expert describes it, with the scanned copy when there is one. */
export type DocumentUpload = Omit<ExpertDocument, 'fileKey'> & { bytes: Buffer | null };

/**
 * Experts (`expert-<userId>`): profile, credentials (files checked by content, stored under
 * `experts/<userId>/`), verification, services, booking settings and availability. The specialty
 * catalog is read only for the commands that check specialty ids.
 */
export function expertCommands(deps: HandlerDeps & { storage: FileStorage }) {
  const needsCatalog = new Set<ExpertCommand['type']>(['UpdateExpertProfile', 'SubmitExpertProfile']);
  const handle = commandHandler(deps, {
    decider: expertDecider,
    stream: (command: ExpertCommand) => expertStream(command.expertId),
    context: async (command, base): Promise<ExpertContext> => ({
      ...base,
      specialties: needsCatalog.has(command.type) ? await loadSpecialtyCatalog(deps.store) : NO_SPECIALTIES,
    }),
  });

  const expert = (expertId: string) => currentState(deps.store, expertStream(expertId), expertDecider);

  /**
   * The file is sniffed (PDF/JPG/PNG) and stored before the event; when the decision refuses the
   * document, or an idempotent retry answers the first attempt's, the stored copy is removed.
   */
  async function addDocument(expertId: string, upload: DocumentUpload, metadata: CommandMetadata) {
    const { bytes, ...described } = upload;
    let fileKey: string | null = null;
    if (bytes !== null) {
      const contentType = await sniffFile(bytes, DOCUMENT_CONTENT_TYPES, 'file');
      if (isDomainError(contentType)) throw contentType;
      fileKey = newFileKey('experts', expertId, contentType);
      await deps.storage.put(fileKey, bytes, contentType);
    }
    const removeStored = async () => {
      if (fileKey !== null) await deps.storage.delete(fileKey).catch(() => undefined);
    };
    try {
      const document: ExpertDocument = { ...described, fileKey };
      const result: CommandResult<ExpertEvent> = await handle(
        { type: 'AddExpertDocument', expertId, document },
        metadata,
      );
      const recorded = result.events.some(
        (event) => event.type === 'ExpertDocumentAdded' && event.data.document.fileKey === fileKey,
      );
      if (!recorded) await removeStored();
      return result;
    } catch (error) {
      await removeStored();
      throw error;
    }
  }

  /** Removes the credential, then its file (the event keeps the key for the audit trail). */
  async function removeDocument(expertId: string, documentId: string, metadata: CommandMetadata) {
    const result = await handle({ type: 'RemoveExpertDocument', expertId, documentId }, metadata);
    for (const event of result.events) {
      if (event.type === 'ExpertDocumentRemoved' && event.data.fileKey !== null) {
        await deps.storage.delete(event.data.fileKey).catch(() => undefined);
      }
    }
    return result;
  }

  /** The file of one of the expert's current credentials; null when there is none. */
  async function documentFile(expertId: string, documentId: string): Promise<StoredFile | null> {
    const document = (await expert(expertId)).documents.find((d) => d.id === documentId);
    return document?.fileKey ? deps.storage.get(document.fileKey) : null;
  }

  return { handle, expert, addDocument, removeDocument, documentFile };
}

export type ExpertCommandService = ReturnType<typeof expertCommands>;
