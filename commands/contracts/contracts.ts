import { createHash } from 'node:crypto';
import type pg from 'pg';
import { v5 as uuidv5 } from 'uuid';
import {
  type ContractCommand,
  type ContractContext,
  type ContractState,
  contractDecider,
} from '../../domain/contracts/contract.js';
import {
  type ContractCanceller,
  type ContractParty,
  type ContractTerms,
  contractStream,
} from '../../domain/contracts/contract-events.js';
import { renderContract, sha256Hex } from '../../domain/contracts/placeholders.js';
import { currentTemplateVersion } from '../../domain/contracts/template.js';
import { isDomainError } from '../../domain/shared/decider.js';
import { conflict, DomainError, notFound } from '../../domain/shared/errors.js';
import { defaultTemplateFor } from '../../projections/contracts/templates-queries.js';
import { commandHandler, currentState, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';
import type { MoneyHandlers } from '../payments/money-handlers.js';
import { type FileStorage, newFileKey, type StoredFile } from '../storage/port.js';
import { sniffFile } from '../storage/sniff.js';
import { contractCode, contractFacts, contractValues, NO_EXTRA_CLAUSES } from './contract-values.js';
import { type IssuedChallenge, type SigningService, withVerifiedCode } from './signing.js';
import { BUILT_IN_TEMPLATE_ID, type TemplateCommands } from './templates.js';

const CONTRACT_ID_NAMESPACE = 'c8a3f1d2-6b0e-4f7a-9c5d-1e2f3a4b5c6d';

/** One contract per deposit: its id derives from the deposit's, so two generations can never both succeed. */
export const contractIdFor = (depositId: string) => uuidv5(depositId, CONTRACT_ID_NAMESPACE);

export const SCAN_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const SCAN_MAX_BYTES = 10 * 1024 * 1024;

/** Who asks: a signed-in person, and whether they act for the platform (operators, admins). */
export interface ContractActor {
  userId: string;
  operator: boolean;
}

/** Where a signature comes from (recorded in the event). */
export interface SignatureOrigin {
  ip: string;
  userAgent: string;
}

export interface ContractServiceDeps extends HandlerDeps {
  pool: pg.Pool;
  money: { handlers: MoneyHandlers };
  templates: TemplateCommands;
  signing: SigningService;
  storage: FileStorage;
}

export const partyOfUser = (state: ContractState, userId: string): ContractParty | null =>
  state.parties?.customerId === userId ? 'customer' : state.parties?.ownerId === userId ? 'owner' : null;

const notAParty = () => new DomainError('forbidden', 'NOT_A_PARTY', 'Bạn không phải là một bên của hợp đồng này');
const contractNotFound = () => notFound('CONTRACT_NOT_FOUND', 'Không tìm thấy hợp đồng');

/**
 * Contracts (HopDong, UC-CUST-05, UC-PROJ-04): generated from a template for a held security
 * deposit, fields filled by the owner, signed by OTP (customer, then owner), scanned copy,
 * expiry and cancellation. The room and deposit effects of signing and cancelling are reactions.
 */
export function contractService(deps: ContractServiceDeps) {
  const { pool, money, templates, signing } = deps;
  const handlerFor = (actingAsOperator: boolean) =>
    commandHandler(deps, {
      decider: contractDecider,
      stream: (command: ContractCommand) => contractStream(command.contractId),
      context: async (_command, base): Promise<ContractContext> => ({ ...base, actingAsOperator }),
    });
  const asOperator = handlerFor(true);
  const asPerson = handlerFor(false);
  const handle = (command: ContractCommand, metadata: CommandMetadata, operator = false) =>
    (operator ? asOperator : asPerson)(command, metadata);

  const state = (contractId: string) => currentState(deps.store, contractStream(contractId), contractDecider);

  /** The contract, if it exists and the actor is one of its parties or staff (404 otherwise). */
  async function visible(contractId: string, actor: ContractActor | null): Promise<ContractState> {
    const contract = await state(contractId);
    if (contract.status === 'none' || !contract.parties) throw contractNotFound();
    if (actor && !actor.operator && partyOfUser(contract, actor.userId) === null) throw contractNotFound();
    return contract;
  }

  /** The requested template, else the project's default (its policy's, then the defaults), else the platform's. */
  async function templateFor(templateId: string | undefined, projectId: string) {
    let id = templateId;
    if (id === undefined) {
      const { rows } = await pool.query<{ id: string | null }>(
        `select policy->>'contractTemplateId' as id from rm.projects where id = $1`,
        [projectId],
      );
      const chosen = rows[0]?.id ?? null;
      const chosenActive = chosen !== null && (await templates.state(chosen)).status === 'active';
      id = chosenActive ? (chosen ?? undefined) : (await defaultTemplateFor(pool, projectId))?.id;
    }
    if (id === undefined) {
      await templates.ensureBuiltIn();
      id = BUILT_IN_TEMPLATE_ID;
    }
    const template = await templates.state(id);
    const version = currentTemplateVersion(template);
    if (template.status !== 'active' || !version) {
      if (templateId !== undefined) throw notFound('TEMPLATE_NOT_FOUND', 'Không tìm thấy mẫu hợp đồng');
      throw conflict('NO_CONTRACT_TEMPLATE', 'Chưa có mẫu hợp đồng mặc định; quản trị viên cần tạo một mẫu');
    }
    return { templateId: id, version };
  }

  /**
   * A contract for a held security deposit, from the template (or the default one), with values
   * from the read models. `requester` null: the system (the generation reaction).
   */
  async function generate(
    input: { depositId: string; templateId?: string; startDate?: string; endDate?: string; clauses?: string },
    requester: ContractActor | null,
    metadata: CommandMetadata,
  ) {
    const deposit = await money.handlers.depositState(input.depositId);
    const parties = deposit.parties;
    const mine = requester === null || requester.operator || parties?.ownerId === requester.userId;
    if (deposit.status === 'none' || !parties || !mine) {
      throw notFound('DEPOSIT_NOT_FOUND', 'Không tìm thấy khoản cọc');
    }
    if (deposit.kind !== 'security') {
      throw conflict('DEPOSIT_NOT_SECURITY', 'Chỉ cọc an ninh mới sinh hợp đồng', { kind: deposit.kind });
    }
    if (deposit.status !== 'held') {
      throw conflict('DEPOSIT_NOT_HELD', 'Khoản cọc chưa được ghi nhận', { status: deposit.status });
    }
    const contractId = contractIdFor(input.depositId);
    if ((await state(contractId)).status !== 'none') {
      throw conflict('CONTRACT_EXISTS', 'Khoản cọc này đã có hợp đồng', { contractId });
    }
    const { templateId, version } = await templateFor(input.templateId, parties.projectId);
    const facts = await contractFacts(pool, parties);
    // The deposit exists, so its room and project were in the read models: they are only behind.
    if (!facts) throw new Error(`catalog read model does not show room ${parties.roomId} yet`);
    const terms: ContractTerms = {
      rentVnd: facts.rentVnd,
      depositVnd: deposit.amountVnd,
      startDate: input.startDate ?? null,
      endDate: input.endDate ?? null,
      // Without clauses of the owner's own the contract says so, rather than waiting for them.
      clauses: input.clauses ?? NO_EXTRA_CLAUSES,
    };
    const result = await handle(
      {
        type: 'GenerateContract',
        contractId,
        depositId: input.depositId,
        roomHoldId: deposit.roomHoldId,
        roomId: parties.roomId,
        listingId: parties.listingId,
        projectId: parties.projectId,
        customerId: parties.customerId,
        ownerId: parties.ownerId,
        templateId,
        templateVersion: version.version,
        templateBody: version.body,
        values: contractValues(facts),
        terms,
      },
      metadata,
      true,
    );
    return { contractId, position: result.position };
  }

  /** The owner (or staff) fills dates, clauses or any placeholder value before the first signature. */
  async function fill(
    contractId: string,
    input: {
      startDate?: string | null;
      endDate?: string | null;
      clauses?: string | null;
      values?: Record<string, string>;
    },
    actor: ContractActor,
    metadata: CommandMetadata,
  ) {
    await visible(contractId, actor);
    const values = input.values ?? {};
    const result = await handle(
      {
        type: 'FillContractFields',
        contractId,
        ...(Object.keys(values).length > 0 && { values }),
        ...(input.startDate !== undefined && { startDate: input.startDate }),
        ...(input.endDate !== undefined && { endDate: input.endDate }),
        ...(input.clauses !== undefined && { clauses: input.clauses?.trim() ? input.clauses : NO_EXTRA_CLAUSES }),
      },
      metadata,
      actor.operator,
    );
    return result.position;
  }

  /** The signer's party, refused before any code is sent if the contract could not take the signature. */
  async function signable(contractId: string, userId: string) {
    const contract = await state(contractId);
    if (contract.status === 'none' || !contract.parties) throw contractNotFound();
    const party = partyOfUser(contract, userId);
    if (party === null) throw notAParty();
    const dryRun = contractDecider.decide(
      {
        type: 'SignContract',
        contractId,
        party,
        signerId: userId,
        ip: '',
        userAgent: '',
        documentSha256: contract.sha256,
      },
      contract,
      { now: deps.clock(), actorId: userId, roles: [], actingAsOperator: false },
    );
    if (isDomainError(dryRun)) throw dryRun;
    return { contract, party };
  }

  async function issueOtp(contractId: string, userId: string): Promise<IssuedChallenge> {
    const { contract, party } = await signable(contractId, userId);
    return signing.issue({
      userId,
      subject: 'contract',
      subjectId: contractId,
      party,
      documentSha256: contract.sha256,
      documentTitle: `hợp đồng ${contractCode(contractId)}`,
    });
  }

  /** Proves the code, then signs the text the code was sent for (a changed text: 409 DOCUMENT_CHANGED). */
  async function sign(
    contractId: string,
    input: { challengeId: string; code: string },
    userId: string,
    origin: SignatureOrigin,
    metadata: CommandMetadata,
  ) {
    const contract = await state(contractId);
    if (contract.status === 'none' || !contract.parties) throw contractNotFound();
    if (partyOfUser(contract, userId) === null) throw notAParty();
    return withVerifiedCode(signing, { ...input, userId, subject: 'contract', subjectId: contractId }, (challenge) =>
      handle(
        {
          type: 'SignContract',
          contractId,
          party: challenge.party,
          signerId: userId,
          ip: origin.ip,
          userAgent: origin.userAgent,
          documentSha256: challenge.documentSha256,
        },
        metadata,
      ),
    );
  }

  /** A scanned copy of the signed paper (PDF/JPG/PNG by content, ≤ 10 MB), kept under contracts/<id>/. */
  async function uploadScan(contractId: string, bytes: Buffer, actor: ContractActor, metadata: CommandMetadata) {
    await visible(contractId, actor);
    const type = await sniffFile(bytes, SCAN_CONTENT_TYPES, 'file');
    if (isDomainError(type)) throw type;
    const fileKey = newFileKey('contracts', contractId, type);
    await deps.storage.put(fileKey, bytes, type);
    try {
      const result = await handle(
        {
          type: 'UploadContractScan',
          contractId,
          fileKey,
          // The client's file name is never trusted: the stored name says what the file is.
          fileName: `${contractCode(contractId)}-scan.${fileKey.slice(fileKey.lastIndexOf('.') + 1)}`,
          contentType: type,
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          uploadedBy: actor.userId,
        },
        metadata,
        actor.operator,
      );
      return { fileKey, contentType: type, position: result.position };
    } catch (error) {
      await deps.storage.delete(fileKey).catch(() => undefined);
      throw error;
    }
  }

  async function scan(contractId: string, actor: ContractActor): Promise<StoredFile> {
    const contract = await visible(contractId, actor);
    const file = contract.scan ? await deps.storage.get(contract.scan.fileKey) : null;
    if (!file) throw notFound('SCAN_NOT_FOUND', 'Hợp đồng chưa có bản scan');
    return file;
  }

  async function reviewScan(
    contractId: string,
    input: { accepted: boolean; note: string | null },
    reviewerId: string,
    metadata: CommandMetadata,
  ) {
    await visible(contractId, null);
    const result = await handle(
      { type: 'ReviewContractScan', contractId, ...input, reviewedBy: reviewerId },
      metadata,
      true,
    );
    return result.position;
  }

  /** Cancels with a reason; the reaction then cancels the deposit and frees (or cleans) the room. */
  async function cancel(contractId: string, reason: string, actor: ContractActor, metadata: CommandMetadata) {
    const contract = await visible(contractId, actor);
    const party = partyOfUser(contract, actor.userId);
    const by: ContractCanceller = party ?? 'operator';
    const result = await handle({ type: 'CancelContract', contractId, reason, by }, metadata, actor.operator);
    return result.position;
  }

  /**
   * Re-renders the stored snapshot (template body and values, from the events) and hashes it: the
   * text is what was generated and, once signed, what was signed.
   */
  async function verify(contractId: string, actor: ContractActor) {
    const contract = await visible(contractId, actor);
    const computedSha256 = sha256Hex(renderContract(contract.templateBody, contract.values).text);
    const matches =
      computedSha256 === contract.sha256 &&
      (contract.signedSha256 === null || contract.signedSha256 === contract.sha256);
    return { matches, storedSha256: contract.sha256, computedSha256, signedSha256: contract.signedSha256 };
  }

  return { handle, state, visible, generate, fill, issueOtp, sign, uploadScan, scan, reviewScan, cancel, verify };
}

export type ContractService = ReturnType<typeof contractService>;
