/**
 * Groups an async stream into batches: waits for the first item, then takes whatever is
 * already available (up to `maxSize`) without waiting for more, so a quiet stream is handled
 * at once and a busy one in large batches.
 */
export async function* batches<T>(source: AsyncIterable<T>, maxSize: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | null = null;
  const tick = Symbol('tick');
  try {
    while (true) {
      const first = await (pending ?? iterator.next());
      pending = null;
      if (first.done) return;
      const batch = [first.value];
      while (batch.length < maxSize) {
        pending = iterator.next();
        const next = await Promise.race([pending, new Promise<typeof tick>((r) => setImmediate(() => r(tick)))]);
        if (next === tick) break;
        pending = null;
        if (next.done) {
          yield batch;
          return;
        }
        batch.push(next.value);
      }
      yield batch;
    }
  } finally {
    await iterator.return?.();
  }
}
