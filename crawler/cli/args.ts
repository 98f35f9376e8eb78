/**
 * Option parsing shared by every subcommand: the same `-h/--help`, the same usage error (exit 2 with the
 * command's usage), so each command module only declares its options.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * One subcommand: a one-line summary (the top-level usage lists them) and a runner returning the exit code
 * (0 ok, 1 failed check, 2 usage error) instead of calling process.exit, so tests can run it in-process.
 */
export type Command = {
  summary: string;
  run: (args: string[]) => Promise<number>;
};

type Options = NonNullable<ParseArgsConfig['options']>;
const help = { help: { type: 'boolean', short: 'h', default: false } } as const;

/**
 * The parsed option values, or the exit code when the command must not run: 0 after printing the usage
 * for --help, 2 after printing the error and the usage for a bad option.
 */
export function parseCommandArgs<const O extends Options>(command: string, args: string[], options: O, usage: string) {
  const config = { args, options: { ...options, ...help }, strict: true, allowPositionals: false } as const;
  let values: ReturnType<typeof parseArgs<typeof config>>['values'];
  try {
    ({ values } = parseArgs(config));
  } catch (error) {
    console.error(`ida-catalog ${command}: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    return 0;
  }
  return values;
}
