// `pe-trace help [COMMAND…]`: the help of pe-trace, a topic or a command (the same text as `--help` and `-h`).
import { Args, Help as OclifHelp } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { EXIT, InputError, nearMatches } from '../src/index.js';

interface HelpResult {
  /** The command or topic the help is about, as typed (words separated by spaces); empty for pe-trace itself. */
  readonly subject: string;
  readonly kind: 'root' | 'topic' | 'command';
  /** The help text. */
  readonly help: string;
}

export default class Help extends BaseCommand<HelpResult> {
  static override summary = 'Show the help of pe-trace, a topic or a command.';
  static override description =
    'The same text as `pe-trace COMMAND --help` (or -h). Words are separated by spaces, as on the command line: ' +
    '`pe-trace help emit build`. An unknown command is a usage error (exit 2) with a did-you-mean suggestion.';

  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help verify', '<%= config.bin %> help emit build'];

  static override strict = false;

  static override args = {
    command: Args.string({ description: 'The command or topic, e.g. verify or emit build.', required: false }),
  };

  protected async exec(): Promise<Outcome<HelpResult>> {
    const { argv } = await this.parse(Help);
    const words = argv.filter((a): a is string => typeof a === 'string' && a !== '--json');
    const id = words.join(':');
    const kind = words.length === 0 ? 'root' : this.config.findCommand(id) !== undefined ? 'command' : this.config.findTopic(id) !== undefined ? 'topic' : undefined;
    if (kind === undefined) {
      const known = [...this.config.commands.map((c) => c.id), ...this.config.topics.map((t) => t.name)].map((i) => i.replaceAll(':', ' '));
      const suggestions = nearMatches(words.join(' '), known);
      const hint = suggestions.length === 0 ? '' : ` (did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?)`;
      throw new InputError('USAGE', `no command or topic "${words.join(' ')}"${hint}; see ${this.config.bin} help`);
    }
    const lines: string[] = [];
    // oclif's help writes through its log(); collect it so the text goes out through the Outcome like every output.
    const collecting = new (class extends OclifHelp {
      protected override log(...args: string[]): void {
        lines.push(args.join(' '));
      }
    })(this.config, this.config.pjson.oclif.helpOptions ?? {});
    await collecting.showHelp(words);
    const help = `${lines.join('\n')}\n`;
    // Bytes: the help is our own text and may carry oclif's styling on a terminal, which line escaping would show raw.
    return { status: EXIT.OK, result: { subject: words.join(' '), kind, help }, bytes: new TextEncoder().encode(help) };
  }
}
