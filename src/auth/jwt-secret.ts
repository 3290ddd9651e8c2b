import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TarnConfig } from '../config/tarn-config.js';

const secretsByDataDir = new Map<string, string>();

const newSecret = () => randomBytes(48).toString('base64url');

function readOrCreate(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = newSecret();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

/**
 * TARN_JWT_SECRET, or a random secret generated once and kept in the data folder
 * (`jwt-secret`, mode 600), so that tokens survive restarts of the embedded default.
 */
export function resolveJwtSecret(config: TarnConfig): { secret: string; generated: boolean } {
  if (config.auth.jwtSecret) return { secret: config.auth.jwtSecret, generated: false };
  const dataDir = config.database.dataDir;
  if (!secretsByDataDir.has(dataDir)) {
    secretsByDataDir.set(dataDir, dataDir === 'memory://' ? newSecret() : readOrCreate(dataDir));
  }
  return { secret: secretsByDataDir.get(dataDir)!, generated: true };
}
