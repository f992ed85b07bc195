/**
 * The `tessera` command tree. Later issues add their verbs here
 * (`node start`, `keymanager …`, `cluster …`, `tenant …`, …).
 */
import { Command, Option } from 'commander';
import { registerCertCommands } from './commands/cert.js';
import { registerNodeCommands } from './commands/node.js';
import type { CliIo } from './io.js';
import { OUTPUT_FORMATS } from './output.js';
import { VERSION } from './version.js';

export function buildProgram(io: CliIo): Command {
  const program = new Command('tessera')
    .description('Tessera: a multi-tenant, encrypted, Raft-replicated chunk store')
    .version(VERSION, '-V, --version')
    .addOption(new Option('-o, --output <format>', 'output format: table for people, json for scripts').choices([...OUTPUT_FORMATS]).default('table'))
    .showHelpAfterError('(run with --help for usage)')
    // Never call process.exit: runCli maps errors to exit codes (and tests run in-process).
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 failure, 2 usage error.\n\nExamples:\n  $ tessera cert create-ca --dir pki/cluster-ca --trust-domain prod.example\n  $ tessera -o json cert create-node --ca pki/cluster-ca --id n1 --out pki/n1\n',
    );
  registerCertCommands(program, { io });
  registerNodeCommands(program, { io });
  return program;
}
