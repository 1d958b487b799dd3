import { sql, type Transaction } from 'kysely';

/**
 * Serialises the writers of one projection's checkpoint (its live runner, a second instance, a
 * rebuild's switch) until the transaction ends. An advisory lock, not `select … for update`: a
 * row lock gives the transaction an id at once, and every open transaction id of this database
 * holds back the event store's safe head, that is every subscriber, for as long as the batch
 * takes. With this lock a batch takes an id only at its first write.
 */
// biome-ignore lint/suspicious/noExplicitAny: any schema's transaction
export async function lockCheckpoint(trx: Transaction<any>, name: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('ops.projection_checkpoints'), hashtext(${name}))`.execute(trx);
}
