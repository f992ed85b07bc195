/**
 * The `tessera` command tree. Later issues add their verbs here
 * (`cluster …`, `access …`, `put|get|ls …`, …).
 */
import { Command, Option } from 'commander';
import { registerAuditCommands } from './commands/audit.js';
import { registerCertCommands } from './commands/cert.js';
import { registerKeyManagerCommands } from './commands/keymanager.js';
import { registerNodeCommands } from './commands/node.js';
import { registerObjectCommands } from './commands/objects.js';
import { registerTenantCommands } from './commands/tenant.js';
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
      '\nExit codes: 0 success, 1 failure, 2 usage error.\n\nExamples:\n  $ tessera cert create-ca --dir pki/cluster-ca --trust-domain prod.example\n  $ tessera -o json cert create-node --ca pki/cluster-ca --id n1 --out pki/n1\n  $ tessera keymanager init --provider file --keyring /etc/tessera/keyring\n  $ tessera tenant list --endpoint 127.0.0.1:7300 --cert admin.crt --key admin.key --ca ca.crt\n  $ tessera audit verify --head acme-head.json --trail acme-trail.bin\n',
    );
  registerCertCommands(program, { io });
  registerNodeCommands(program, { io });
  registerKeyManagerCommands(program, { io });
  registerTenantCommands(program, { io });
  registerAuditCommands(program, { io });
  registerObjectCommands(program, { io });
  return program;
}
