/**
 * `ida-catalog <command>`: one CLI, one module per subcommand, each loaded only when it runs. The
 * top-level usage lists every command with its own summary, so a new command is one line here.
 */
import type { Command } from './args.js';

export type { Command } from './args.js';

const commands: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./validate.js')).validateCommand,
  schema: async () => (await import('./schema.js')).schemaCommand,
  crawl: async () => (await import('./crawl.js')).crawlCommand,
  stager: async () => (await import('./stager.js')).stagerCommand,
  merge: async () => (await import('./merge.js')).mergeCommand,
  probe: async () => (await import('./probe.js')).probeCommand,
};

async function usage(): Promise<string> {
  const names = Object.keys(commands).sort();
  const loaded = await Promise.all(names.map((name) => commands[name]!()));
  const width = Math.max(...names.map((name) => name.length));
  return [
    'usage: ida-catalog <command> [options]',
    '',
    'commands:',
    ...names.map((name, index) => `  ${name.padEnd(width)}  ${loaded[index]!.summary}`),
    '',
    "Run `ida-catalog <command> --help` for a command's options.",
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    console.error(`ida-catalog: unknown command "${name}"\n\n${await usage()}`);
    return 2;
  }
  const command = await load();
  return command.run(rest);
}
