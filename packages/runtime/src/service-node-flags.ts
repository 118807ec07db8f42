/**
 * Node flags every Telenexus service process starts with, whoever starts it: `telenexus start`
 * (`npm start`) forks with them, the image's entrypoint runs `node` with them (the Dockerfile test
 * holds it to this list), and `npm run bench` spawns with them. They bound the V8 heap, which under
 * load is most of a service's RSS (docs/benchmarks.md, "Where the memory goes"):
 *
 * - `--heap-growing-percent`: after each full GC V8 lets the old generation grow by up to 4× what
 *   survived when the host has memory to spare (a 4 GB heap limit); a fixed 30 % keeps the garbage
 *   between full GCs in proportion to what is live, without a hard cap that a burst of batches
 *   could hit. Ingress's batch peak: ≈ 265 → ≈ 160 MB.
 * - `--max-semi-space-size`: each of the young generation's two semi-spaces grows to 16 MB at a
 *   high allocation rate; 8 MB saves ≈ 15 MB at no measurable cost, while 4 MB saves ≈ 10 MB more
 *   for ≈ 20 % more of ingress's CPU per batch item. Read only when the heap is created, so it
 *   cannot be set from inside the process.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = Object.freeze([
  '--max-semi-space-size=8',
  '--heap-growing-percent=30',
]);
