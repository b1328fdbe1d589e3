/**
 * A small, strict flag parser: `--name value`, `--name=value`, boolean `--flag`, and positionals.
 * Unknown flags are usage errors so typos never pass silently.
 */
import { UsageError } from './command';

export interface FlagSpec {
  /** Flags that take a value. */
  values?: readonly string[];
  /** Flags that take no value. */
  booleans?: readonly string[];
  /** Flags that may repeat (values collected in order); must also be listed in `values`. */
  repeatable?: readonly string[];
}

export interface ParsedArgs {
  values: Map<string, string[]>;
  booleans: Set<string>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const values = new Map<string, string[]>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  const valueFlags = new Set(spec.values ?? []);
  const boolFlags = new Set(spec.booleans ?? []);
  const repeatable = new Set(spec.repeatable ?? []);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (boolFlags.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      booleans.add(name);
    } else if (valueFlags.has(name)) {
      let value: string;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
        value = argv[++i];
      }
      const list = values.get(name);
      if (list && !repeatable.has(name)) throw new UsageError(`--${name} given twice`);
      if (list) list.push(value);
      else values.set(name, [value]);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { values, booleans, positionals };
}

/** The single value of a flag, or undefined. */
export function flag(args: ParsedArgs, name: string): string | undefined {
  return args.values.get(name)?.[0];
}

export function requireFlag(args: ParsedArgs, name: string): string {
  const v = flag(args, name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}

/** Parses a finite number flag, or returns the default. */
export function numberFlag(args: ParsedArgs, name: string, dflt?: number): number | undefined {
  const v = flag(args, name);
  if (v === undefined) return dflt;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new UsageError(`--${name} must be a number, got '${v}'`);
  return x;
}
