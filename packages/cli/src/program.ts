/**
 * The `tessera` command tree. Later issues add their verbs here
 * (`cluster …`, `access …`, `put|get|ls …`, `bench …`, …).
 */
import { Command, Help, Option } from 'commander';
import { registerAccessCommands } from './commands/access.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerBenchCommands } from './commands/bench.js';
import { registerCertCommands } from './commands/cert.js';
import { registerKeyManagerCommands } from './commands/keymanager.js';
import { registerMaintenanceCommands } from './commands/maintenance.js';
import { registerNodeCommands } from './commands/node.js';
import { registerObjectCommands } from './commands/objects.js';
import { registerOperatorCommands, registerTenantUsageCommands } from './commands/operator.js';
import { registerTenantCommands } from './commands/tenant.js';
import type { CliIo } from './io.js';
import { OUTPUT_FORMATS } from './output.js';
import { VERSION } from './version.js';

export function buildProgram(io: CliIo): Command {
  const program = new Command('tessera')
    .description('Tessera: a multi-tenant, encrypted, Raft-replicated chunk store')
    .version(VERSION, '-V, --version')
    .addOption(new Option('-o, --output <format>', 'output format: table for people, json for scripts').choices([...OUTPUT_FORMATS]).default('table'))
    .option('--debug', 'on failure, also print the error\'s code, stack and causes')
    .showHelpAfterError('(run with --help for usage)')
    // Never call process.exit: runCli maps errors to exit codes (and tests run in-process).
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText(
      'after',
      '\nConnection settings (endpoints, --cert/--key, --ca/--crl) come from flags, else the environment\n(TESSERA_ENDPOINT, TESSERA_DATA_ENDPOINT, TESSERA_CERT, TESSERA_KEY, TESSERA_CA, TESSERA_CRL), else the\nconfig file given by --config FILE (before the command) or TESSERA_CONFIG; scripts/local-cluster writes one.\n' +
        '\nExit codes: 0 success, 1 failure, 2 usage error.\n\nExamples:\n  $ tessera --config .local-cluster/tessera.json put notes.txt notes.txt\n  $ TESSERA_CONFIG=.local-cluster/tessera.json tessera -o json ls\n  $ tessera cert create-ca --dir pki/cluster-ca --trust-domain prod.example\n  $ tessera -o json cert create-node --ca pki/cluster-ca --id n1 --out pki/n1\n  $ tessera keymanager init --provider file --keyring /etc/tessera/keyring\n  $ tessera tenant list --endpoint 127.0.0.1:7300 --cert admin.crt --key admin.key --ca ca.crt\n  $ tessera audit verify --head acme-head.json --trail acme-trail.bin\n',
    );
  // `--config` is read before commander parses (see global-args.ts); it is listed here for --help only.
  const configOption = new Option('--config <file>', 'connection config file (endpoints, certificates; or TESSERA_CONFIG), before the command');
  program.configureHelp({
    visibleOptions: (cmd: Command): Option[] => {
      const options = new Help().visibleOptions(cmd);
      if (cmd !== program) return options;
      const at = options.findIndex((o) => o.long === '--help');
      return at < 0 ? [...options, configOption] : [...options.slice(0, at), configOption, ...options.slice(at)];
    },
  });
  registerCertCommands(program, { io });
  registerNodeCommands(program, { io });
  registerKeyManagerCommands(program, { io });
  registerTenantUsageCommands(registerTenantCommands(program, { io }), { io });
  registerAuditCommands(program, { io });
  registerObjectCommands(program, { io });
  registerBenchCommands(program, { io });
  registerAccessCommands(program, { io });
  registerOperatorCommands(program, { io });
  registerMaintenanceCommands(program, { io });
  return program;
}
