import { type LedgerVerification, verifyLedger } from '../../projections/ledger/verify.js';
import { runCli, withServices } from './connect.js';

const vnd = (n: number) => n.toLocaleString('en-US');

function printProblems(result: LedgerVerification): void {
  if (result.readModelProblem) console.error(`Read model not compared: ${result.readModelProblem}`);
  for (const fault of result.unbalancedEntries) {
    console.error(
      `Unbalanced entry: event ${fault.eventId} (stream ${fault.stream}, position ${fault.position}): ${fault.code} ${fault.message}`,
    );
  }
  if (result.trialBalance.debits !== result.trialBalance.credits) {
    console.error(
      `Trial balance off: debits ${vnd(result.trialBalance.debits)} ≠ credits ${vnd(result.trialBalance.credits)}`,
    );
  }
  for (const { key, balance } of result.negativeAccounts) console.error(`Negative balance: ${key} = ${vnd(balance)}`);
  for (const o of result.overdrawn) {
    console.error(
      `Went below zero: ${o.key} = ${vnd(o.balance)} after event ${o.eventId} (stream ${o.stream}, position ${o.position})`,
    );
  }
  for (const d of result.differences) {
    const show = (f: LedgerVerification['differences'][number]['expected']) =>
      f
        ? `debit ${vnd(f.debitVnd)} credit ${vnd(f.creditVnd)} balance ${vnd(f.balanceVnd)} postings ${f.postingCount}`
        : 'no row';
    console.error(`Balance differs: ${d.key}: expected ${show(d.expected)}; found ${show(d.found)}`);
  }
  if (result.readModelProblem === null && result.readModel.postings !== result.postings) {
    console.error(
      `Posting count differs: expected ${result.postings}, found ${result.readModel.postings} in rm.ledger_postings`,
    );
  }
}

/** npm run ledger:verify — replays every journal and compares with the ledger read model; exits 1 on any difference. */
runCli(() =>
  withServices(async (services) => {
    const started = performance.now();
    let reported = 0;
    const result = await verifyLedger(services, (entries) => {
      if (entries - reported >= 100_000) {
        reported = entries;
        console.error(`  … ${entries} entries replayed`);
      }
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const summary =
      `${result.entries} entries, ${result.postings} postings, ${result.accounts} accounts up to position ${result.position}; ` +
      `debits ${vnd(result.trialBalance.debits)} ${result.trialBalance.debits === result.trialBalance.credits ? '=' : '≠'} credits ${vnd(result.trialBalance.credits)} ₫; ` +
      `read model at ${result.readModel.checkpoint ?? '-'} (${result.readModel.postings} postings, ${result.readModel.accounts} accounts); ${seconds} s`;
    if (!result.ok) {
      printProblems(result);
      console.error(`Ledger NOT OK: ${summary}`);
      return 1;
    }
    console.log(`Ledger OK: ${summary}`);
    return 0;
  }),
);
