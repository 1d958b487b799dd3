import { runCli, withServices } from './connect.js';

/** npm run history -- <stream> — a stream's events with who did what, as whom, from where. */
runCli(async () => {
  const stream = process.argv[2];
  if (!stream) {
    console.error('Usage: npm run history -- <stream>   (e.g. areacatalog-vn)');
    return 2;
  }
  return withServices(async (services) => {
    let count = 0;
    for await (const event of services.store.readStream(stream)) {
      const m = event.metadata;
      const actor = m.actAsId ? `${m.actorId} as ${m.actAsId}` : (m.actorId ?? 'anonymous');
      console.log(
        `#${event.revision} @${event.position} ${m.occurredAt} ${event.type} by ${actor} [${m.roles.join(',')}]` +
          ` from ${m.ip ?? '-'} corr=${m.correlationId}${m.causationId ? ` cause=${m.causationId}` : ''}`,
      );
      console.log(`    ${JSON.stringify(event.data)}`);
      count += 1;
    }
    if (count === 0) console.error(`Stream ${stream} has no events`);
    return count === 0 ? 1 : 0;
  });
});
