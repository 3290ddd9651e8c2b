import { existsSync } from 'node:fs';
import { ConfigError, HelpRequested, loadConfig, type TarnConfig } from './tarn-config.js';

/**
 * The configuration of a process started from the command line: `.env` (when present; values
 * already in the environment win), then the flags and variables. `--help` prints and exits 0; a
 * mistake (also one `check` finds) prints its message after `program` and exits 2. `argv`: the
 * server's flags; a program whose arguments are its own (the users CLI) passes none.
 */
export function configOrExit(
  program: string,
  check?: (config: TarnConfig) => string | undefined,
  argv: string[] = process.argv.slice(2),
): TarnConfig {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    const config = loadConfig(argv, process.env);
    const problem = check?.(config);
    if (problem) throw new ConfigError([problem]);
    return config;
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(error.text);
      process.exit(0);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${program}: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
