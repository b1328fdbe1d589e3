/**
 * The driver of the fuzz suite (test/unit/fuzz/): feeds generated inputs to one parser and checks the one property
 * every SegLens parser promises — each input either parses into a consistent object or is refused with an
 * InputError (or OptionError) whose message names the source; never another exception type, never a hang, never a
 * huge allocation.
 *
 * - Inputs come from a fast-check arbitrary, drawn in batches with fixed seeds, so a run is reproducible and a
 *   failure names the batch seed and index. `SEGLENS_FUZZ_RUNS` sets the inputs per parser (default 10,000) and
 *   `SEGLENS_FUZZ_SEED` moves every seed, for longer or different runs (docs/testing.md, "Fuzzing").
 * - Hangs: each batch runs inside `vm` with a timeout, whose watchdog interrupts even a synchronous endless loop
 *   in the parser; the input running at that moment is reported. One slow input (over `slowMs`) fails too.
 * - Allocation: the process's peak resident set (`resourceUsage().maxRSS`) is read around every batch; a batch
 *   that raises it by more than `maxRssGrowthMb` fails (a lying header that made the parser allocate its declared
 *   size) and its inputs are saved. The child-process bomb tests (test/unit/fuzz/bombs.test.ts) measure absolute peaks.
 * - A failing input is written to test-output/fuzz/ so it can be replayed by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';
import * as vm from 'node:vm';
import fc from 'fast-check';
import { InputError, OptionError } from '../../src/core/errors';
import { repoPath } from './repo';

/** Inputs per parser: `SEGLENS_FUZZ_RUNS` when set (a positive integer), else `fallback`. */
export function fuzzRuns(fallback = 10_000): number {
  const env = process.env.SEGLENS_FUZZ_RUNS;
  if (env === undefined || env === '') return fallback;
  const n = Number(env);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`SEGLENS_FUZZ_RUNS must be a positive integer, got '${env}'`);
  return n;
}

/** The base seed: `SEGLENS_FUZZ_SEED` when set, else fixed, so CI runs are deterministic. */
export function fuzzBaseSeed(): number {
  const env = process.env.SEGLENS_FUZZ_SEED;
  if (env === undefined || env === '') return 0x5e91e25;
  const n = Number(env);
  if (!Number.isSafeInteger(n)) throw new Error(`SEGLENS_FUZZ_SEED must be an integer, got '${env}'`);
  return n;
}

/** What a parser did with one input. */
export type Outcome = 'parsed' | 'refused';

export interface FuzzTarget<I> {
  /** Parser name, in reports and in the names of saved failing inputs. */
  name: string;
  /** The source name the parser is given; every refusal must name it. */
  source: string;
  /** The generated inputs. */
  inputs: fc.Arbitrary<I>;
  /**
   * Parses one input and checks the result is consistent (throwing an AssertionError when not). A refusal is the
   * parser's own exception, which the driver classifies.
   */
  parse(input: I): void;
  /** The bytes or text to save when an input fails, for replay. */
  dump?(input: I): Uint8Array | string;
  /**
   * Which exceptions count as a refusal. @default an InputError or OptionError whose message names `source`
   * (a target with its own documented contract, like the literal parser's RangeError, says so here).
   */
  isRefusal?(e: unknown): boolean;
}

export interface FuzzOptions {
  /** Inputs to run. @default fuzzRuns() */
  runs?: number;
  /** Added to the base seed, one per target, so targets draw different inputs. */
  seed: number;
  /** Inputs per vm batch (one watchdog and one peak-RSS reading per batch). @default 500 */
  batch?: number;
  /** A batch running longer than this is a hang. @default 60,000 ms */
  batchTimeoutMs?: number;
  /** One input taking longer than this fails. @default 5,000 ms (loaded CI cores are slow, parsers are not) */
  slowMs?: number;
  /** A batch raising the process's peak RSS by more than this fails. @default 192 MB */
  maxRssGrowthMb?: number;
}

export interface FuzzReport {
  name: string;
  runs: number;
  parsed: number;
  refused: number;
  ms: number;
  /** Distinct refusal messages with numbers blanked: a rough measure of how many checks the inputs reached. */
  distinctRefusals: number;
}

/** Whether `e` is a refusal the project promises: an InputError or OptionError naming `source`. */
export function isProperRefusal(e: unknown, source: string): e is InputError | OptionError {
  return (e instanceof InputError || e instanceof OptionError) && e.message.includes(source);
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}\n${e.stack ?? ''}`;
  return String(e);
}

/** Saves a failing input under test-output/fuzz/ and returns its path. */
function saveFailure(
  name: string,
  seed: number,
  index: number,
  data: Uint8Array | string | undefined,
): string {
  if (data === undefined) return '(no dump for this target)';
  const dir = repoPath('test-output', 'fuzz');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name.replace(/[^\w.-]+/g, '_')}-seed${seed}-${index}.bin`);
  writeFileSync(file, data);
  return file;
}

/**
 * Runs `target` on `runs` generated inputs; throws on the first input that breaks the property (with its seed,
 * index, saved file and the error), else returns the counts.
 */
export function fuzz<I>(target: FuzzTarget<I>, options: FuzzOptions): FuzzReport {
  const runs = options.runs ?? fuzzRuns();
  const batch = options.batch ?? 500;
  const slowMs = options.slowMs ?? 5000;
  const maxGrowthKb = (options.maxRssGrowthMb ?? 192) * 1024;
  const started = Date.now();
  let parsed = 0;
  let refused = 0;
  const refusals = new Set<string>();
  // The state the vm batch runs on: kept outside so that a timeout still says which input was running.
  let current: { seed: number; index: number; input: I | undefined } = {
    seed: 0,
    index: 0,
    input: undefined,
  };

  const fail = (why: string, e?: unknown): never => {
    const saved = saveFailure(
      target.name,
      current.seed,
      current.index,
      current.input === undefined ? undefined : target.dump?.(current.input),
    );
    throw new Error(
      `fuzz ${target.name}: input ${current.index} of batch seed ${current.seed} ${why}` +
        `\n  saved: ${saved}${e === undefined ? '' : `\n  ${describeError(e)}`}`,
    );
  };

  const runOne = (input: I): void => {
    const t0 = performance.now();
    let outcome: Outcome;
    try {
      target.parse(input);
      outcome = 'parsed';
    } catch (e) {
      const proper = target.isRefusal ? target.isRefusal(e) : isProperRefusal(e, target.source);
      if (!proper) fail('threw something other than a refusal naming the source', e);
      outcome = 'refused';
      refusals.add((e as Error).message.replace(/\d+/g, '#').slice(0, 160));
    }
    const ms = performance.now() - t0;
    if (ms > slowMs) fail(`took ${Math.round(ms)} ms (limit ${slowMs} ms)`);
    if (outcome === 'parsed') parsed++;
    else refused++;
  };

  const base = fuzzBaseSeed() + options.seed * 1_000_003;
  const script = new vm.Script('runBatch()');
  for (let done = 0, b = 0; done < runs; b++) {
    const n = Math.min(batch, runs - done);
    const seed = base + b;
    const inputs = fc.sample(target.inputs, { seed, numRuns: n });
    const context = vm.createContext({
      runBatch: () => {
        for (let i = 0; i < inputs.length; i++) {
          current = { seed, index: i, input: inputs[i] };
          runOne(inputs[i]!);
        }
      },
    });
    // The peak RSS is read per batch (reading it per input costs more than most parses): a batch that raised it
    // is saved whole, and rerunning the saved inputs one by one finds the culprit.
    const rssBefore = resourceUsage().maxRSS;
    try {
      script.runInContext(context, { timeout: options.batchTimeoutMs ?? 60_000 });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') fail('hung (batch timed out)', e);
      throw e;
    }
    const grew = resourceUsage().maxRSS - rssBefore;
    if (grew > maxGrowthKb) {
      const saved = inputs.map((input, i) => saveFailure(target.name, seed, i, target.dump?.(input)));
      throw new Error(
        `fuzz ${target.name}: batch seed ${seed} raised the peak RSS by ${Math.round(grew / 1024)} MB` +
          `\n  its inputs are saved as ${saved[0]} … ${saved[saved.length - 1]}`,
      );
    }
    done += n;
  }
  return {
    name: target.name,
    runs,
    parsed,
    refused,
    ms: Date.now() - started,
    distinctRefusals: refusals.size,
  };
}

/** One line per target for the suite's output: the lead quotes these counts. */
export function formatReport(r: FuzzReport): string {
  return (
    `${r.name}: ${r.runs} inputs, ${r.parsed} parsed, ${r.refused} refused ` +
    `(${r.distinctRefusals} distinct messages), ${r.ms} ms`
  );
}

/**
 * Mocha glue: one `it` per target that runs it, prints its report line and checks both outcomes occurred, at least
 * `minParsedShare` of the inputs parsing (a generator whose inputs are all refused at the first byte, or all
 * accepted, tests little).
 */
export function fuzzIt<I>(
  title: string,
  target: () => FuzzTarget<I>,
  options: FuzzOptions & { minParsedShare?: number },
): void {
  it(title, function () {
    this.timeout(0); // The vm watchdog bounds each batch; a run's length is set by SEGLENS_FUZZ_RUNS.
    const r = fuzz(target(), options);
    console.log(`      ${formatReport(r)}`);
    const minParsed = Math.max(1, Math.floor((options.minParsedShare ?? 0) * r.runs));
    if (r.parsed < minParsed)
      throw new Error(`fuzz ${r.name}: only ${r.parsed} inputs parsed (want ≥ ${minParsed})`);
    if (r.refused < 1) throw new Error(`fuzz ${r.name}: no input was refused; the generator is too tame`);
  });
}
