/**
 * `ida-catalog <command>`: one CLI, one module per subcommand. Each command returns its exit code
 * (0 ok, 1 failed check, 2 usage error) instead of calling process.exit, so tests can run it in-process.
 */
export type Command = {
  summary: string;
  run: (args: string[]) => Promise<number>;
};

const commands: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./validate.js')).validateCommand,
  schema: async () => (await import('./schema.js')).schemaCommand,
  crawl: async () => (await import('./crawl.js')).crawlCommand,
  stager: async () => (await import('./stager.js')).stagerCommand,
};

function usage(): string {
  return [
    'usage: ida-catalog <command> [options]',
    '',
    'commands:',
    '  validate [--facilities PATH] [--catalog DIR]   check facilities.yaml and the catalog files',
    '  schema [--out DIR]                             write JSON Schema generated from the contract',
    '  crawl [--config PATH] [--out DIR] [--only ID] [--concurrency N]   harvest repositories into the catalog',
    '',
    'Run `ida-catalog <command> --help` for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`ida-catalog: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const command = await load();
  return command.run(rest);
}
