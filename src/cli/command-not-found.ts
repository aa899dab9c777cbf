// oclif's command_not_found hook: a mistyped command or topic is a usage error (exit 2) with one `error:` line and a did-you-mean.
import type { Hook } from '@oclif/core';
import { EXIT } from '../errors.js';
import { escapeTerminalText } from '../text/terminal-escape.js';
import { nearMatches } from '../text/near-matches.js';

type Config = Parameters<Hook<'command_not_found'>>[0]['config'];

/** Every command and topic as the user types it (our topicSeparator is a space, never oclif's colon notation). */
function spelledIds(config: Config): string[] {
  const ids = config.commands.filter((c) => !c.hidden).map((c) => c.id.replaceAll(':', ' '));
  const topics = config.topics.filter((t) => !t.hidden).map((t) => t.name.replaceAll(':', ' '));
  return [...new Set([...ids, ...topics])].sort();
}

/** The leading words of argv that are not flags (the command the user meant to type, and maybe its arguments). */
function leadingWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  return words;
}

/**
 * The hook. A known command followed by words it does not take as a command name (`audit restricted-inputs DIR`)
 * runs that command with the rest, so its own parser reports the unexpected argument (exit 2) the usual way.
 * Otherwise: `error: unknown command "pe-trace verfy" (did you mean "pe-trace verify"?); see pe-trace --help`, exit 2,
 * or the same as a --json envelope.
 */
const hook: Hook<'command_not_found'> = async function commandNotFound(options) {
  const { config } = options;
  // The raw words, not the colon-joined id: an argument may itself contain a colon (hf://…).
  const raw = process.argv.slice(2);
  const words = leadingWords(raw);
  for (let k = words.length - 1; k >= 1; k--) {
    const id = words.slice(0, k).join(':');
    if (config.findCommand(id) !== undefined) return config.runCommand(id, raw.slice(k));
  }
  // The command the user meant: the topics they typed, then one more word (the rest are its arguments).
  let depth = 0;
  while (depth < words.length - 1 && config.findTopic(words.slice(0, depth + 1).join(':')) !== undefined) depth++;
  const typed = words.length > 0 ? words.slice(0, depth + 1).join(' ') : options.id.replaceAll(':', ' ');
  // A topic the typed words start with is not a suggestion: the message points to its help instead.
  const suggestions = nearMatches(typed, spelledIds(config).filter((s) => !`${typed} `.startsWith(`${s} `)));
  const bin = config.bin;
  const hint = suggestions.length === 0 ? '' : ` (did you mean ${suggestions.map((s) => `"${bin} ${s}"`).join(' or ')}?)`;
  let topic = '';
  for (let k = words.length - 1; k >= 1 && topic === ''; k--) if (config.findTopic(words.slice(0, k).join(':')) !== undefined) topic = `${words.slice(0, k).join(' ')} `;
  const message = `unknown command "${bin} ${typed}"${hint}; see ${bin} ${topic}--help`;
  if (raw.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ status: EXIT.USAGE, error: { code: 'USAGE', message }, warnings: [] }, null, 2)}\n`);
  } else {
    process.stderr.write(`error: ${escapeTerminalText(message)}\n`);
  }
  process.exitCode = EXIT.USAGE;
  return undefined;
};

export default hook;
