/**
 * `npm run bench`: runs every bench/*.bench.ts in turn (or those named on the command line).
 * Each bench module exports `run(): Promise<void>` and prints its own lines via bench/util.ts.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  for (const f of files) {
    console.log(`\n## ${f.replace('.bench.ts', '')}`);
    const mod = (await import(join(__dirname, f))) as { run: () => Promise<void> };
    await mod.run();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
