/**
 * `faultline <command> [arguments]`: the one entry of the built CLI (dist-cli/faultline.mjs, the
 * package's `bin`). Each command is one line of the table below; its module is loaded only when
 * asked for, so start-up pays for one command.
 *
 * A command module either exports `main(argv)` (returning the exit status, or a promise of it)
 * and runs itself only when invoked directly, or runs itself on import, reading
 * `process.argv.slice(2)` and setting `process.exitCode`. Both see the arguments after the
 * command's name.
 */
interface CommandModule {
  main?: (argv: string[]) => number | Promise<number>;
}

const commands: Record<string, { about: string; load: () => Promise<CommandModule> }> = {
  sim: { about: 'run a scenario headless and print its summary', load: () => import('./sim') },
  sweep: { about: 'run a document over a grid of settings and seeds, on worker threads', load: () => import('./sweep') },
  convert: { about: 'RabbitMQ definitions, resilience4j and opossum settings to and from a scenario', load: () => import('./convert') },
  swarm: { about: 'random topologies and fault timelines from one seed, each checked', load: () => import('./swarm') },
};

const USAGE = `usage: faultline <command> [arguments]    (faultline <command> --help for its own)

${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.about}`)
  .join('\n')}`;

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name]! : undefined;
  if (command === undefined) {
    process.stderr.write(`faultline: no command "${name}"\n${USAGE}\n`);
    return 2;
  }
  // The command sees only its own arguments; argv[1] no longer names this script, so a module's
  // "was I invoked directly?" check says no and leaves the running to `main` below.
  process.argv.splice(1, 2, `faultline ${name}`);
  const module = await command.load();
  return module.main === undefined ? Number(process.exitCode ?? 0) : await module.main(rest);
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`faultline: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
