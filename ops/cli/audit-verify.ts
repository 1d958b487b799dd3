import { verifyAuditChain } from '../../projections/audit/verify.js';
import { runCli, withServices } from './connect.js';

/** npm run audit:verify — walks the audit hash chain; exits 1 naming the first broken position. */
runCli(() =>
  withServices(async (services) => {
    const started = performance.now();
    const result = await verifyAuditChain(services, (checked) => {
      if (checked % 100_000 === 0) console.error(`  … ${checked} events checked`);
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (!result.ok) {
      console.error(
        `Audit chain BROKEN at position ${result.position}: ${result.reason} (${result.checked} events verified before it)`,
      );
      return 1;
    }
    const tail = result.notYetAudited ? '; newer events are not audited yet (projection catching up)' : '';
    console.log(
      `Audit chain OK: ${result.checked} events verified up to position ${result.lastPosition ?? '-'} in ${seconds} s${tail}`,
    );
    return 0;
  }),
);
