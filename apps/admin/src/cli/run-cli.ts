import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, withEnvFile, withServerSettings } from '@gatehouse/config';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { createAdminServices } from '../admin-services.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { bootstrapPlatform } from '../platform/platform-bootstrap.js';
import type { CliCommand } from './cli-context.js';
import { commandHelp, commandsOfGroup, groupHelp, programHelp, suggestCommand } from './cli-help.js';
import { createOutput, PROCESS_STREAMS, UsageError, type CliStreams } from './cli-output.js';
import { COMMANDS } from './commands/index.js';

const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

/** `gatehouse <command> [options] [--json]`; returns the exit code. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, streams: CliStreams = PROCESS_STREAMS): Promise<number> {
  const json = argv.includes('--json');
  const output = createOutput(json, streams);
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    streams.stderr(programHelp(COMMANDS));
    return argv.length === 0 ? EXIT_USAGE : 0;
  }
  const match = findCommand(argv);
  if (match && wantsHelp) {
    streams.stdout(commandHelp(match.command));
    return 0;
  }
  if (!match) {
    const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2);
    const group = commandsOfGroup(words[0] ?? '', COMMANDS);
    if (group.length > 0 && (wantsHelp || words.length === 1)) {
      if (wantsHelp) streams.stdout(groupHelp(words[0] ?? '', group));
      else output.notice(`error: "${words[0]}" needs a command\n\n${groupHelp(words[0] ?? '', group)}`);
      return wantsHelp ? 0 : EXIT_USAGE;
    }
    const suggestion = suggestCommand(words, COMMANDS);
    output.notice(
      `error: unknown command "${words.join(' ')}"${suggestion ? `; did you mean "${suggestion}"?` : ''}\nRun "npm run -s gatehouse -- --help" for the list of commands.`,
    );
    return EXIT_USAGE;
  }
  const { command, rest } = match;

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    output.notice(`error: ${(error as Error).message}\nusage: gatehouse ${command.usage} [--json]`);
    return EXIT_USAGE;
  }

  let infrastructure: Infrastructure | undefined;
  try {
    const config = loadConfig(withServerSettings(withEnvFile(env)));
    if (config.keyEncryptionKeySource === 'created-in-data-dir') output.notice(`warning: ${config.warnings.join('; ')}`);
    infrastructure = await openInfrastructure(config);
    const services = await createAdminServices(config, infrastructure.persistence, infrastructure.redis);
    const bootstrap = await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users, {
      updateConsoleRedirects: false,
    });
    if (bootstrap.createdAdmin?.passwordFile) {
      output.notice(
        `Created platform administrator "${bootstrap.createdAdmin.username}"; its password is in ${bootstrap.createdAdmin.passwordFile} (mode 0600)\n(change it after first login, then delete the file)`,
      );
    }
    const code = await command.run(
      { config, infrastructure, services, output, readStdin: () => streams.readStdin() },
      parsed.positionals,
      parsed.values as Record<string, string | boolean | string[] | undefined>,
    );
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      output.notice(error.problems.map((problem) => `error: ${problem}`).join('\n'));
      return EXIT_FAILURE;
    }
    if (error instanceof UsageError) {
      output.notice(`error: ${error.message}\nusage: gatehouse ${command.usage} [--json]`);
      return EXIT_USAGE;
    }
    if (error instanceof AdminProblem) {
      output.notice(`error: ${error.message}`);
      return EXIT_FAILURE;
    }
    output.notice(`error: ${(error as Error).message ?? 'unexpected failure'}`);
    return EXIT_FAILURE;
  } finally {
    await infrastructure?.close();
  }
}

function findCommand(argv: readonly string[]): { command: CliCommand; rest: string[] } | null {
  const words = argv.slice(0, 2).filter((word) => !word.startsWith('-'));
  for (const length of [2, 1]) {
    const name = words.slice(0, length).join(' ');
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (command && words.length >= length) return { command, rest: argv.slice(length) };
  }
  return null;
}
