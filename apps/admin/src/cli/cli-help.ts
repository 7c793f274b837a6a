import { editDistance } from '../http/edit-distance.js';
import type { CliCommand } from './cli-context.js';

const PROGRAM = 'npm run -s gatehouse --';

/** `gatehouse --help`: every command with its one-line summary. */
export function programHelp(commands: readonly CliCommand[]): string {
  return `usage: ${PROGRAM} <command> [options] [--json]\n\ncommands:\n${list(commands)}\nRun "${PROGRAM} <command> --help" for one command's options.\n`;
}

/** `gatehouse tenant --help` (or `gatehouse tenant`): the commands of one group. */
export function groupHelp(group: string, commands: readonly CliCommand[]): string {
  return `usage: ${PROGRAM} ${group} <${commands.map((c) => c.name.split(' ')[1]).join('|')}> [options] [--json]\n\n${list(commands)}`;
}

/** `gatehouse tenant create --help`. */
export function commandHelp(command: CliCommand): string {
  const options = Object.keys(command.options);
  return [
    `usage: ${PROGRAM} ${command.usage} [--json]`,
    '',
    command.summary,
    '',
    'options:',
    ...options.map((name) => `  --${name}${command.options[name]?.multiple ? ' (repeatable)' : ''}`),
    '  --json     print exactly one JSON object on stdout',
    '  --help     print this help',
    '',
  ].join('\n');
}

/** The commands whose first word is `group`, for `gatehouse <group>` alone or with --help. */
export function commandsOfGroup(group: string, commands: readonly CliCommand[]): CliCommand[] {
  return commands.filter((command) => command.name.split(' ')[0] === group && command.name.includes(' '));
}

/** The command closest to a mistyped one (edit distance at most 2 per word typed), or null. */
export function suggestCommand(typed: readonly string[], commands: readonly CliCommand[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const command of commands) {
    const words = command.name.split(' ').slice(0, Math.max(typed.length, 1));
    const candidate = words.join(' ');
    const distance = editDistance(typed.slice(0, words.length).join(' '), candidate);
    if (distance <= 2 * words.length && (best === null || distance < best.distance)) best = { name: candidate, distance };
  }
  return best && best.distance > 0 ? best.name : null;
}

function list(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n`).join('');
}
