import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const held = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded database must have one process at a time: a second server or a CLI run on
 * the same data folder would corrupt it. The lock is a pid file, released at exit; a lock
 * left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): void {
  const file = join(dataDir, 'tarn.lock');
  if (held.has(file)) return;
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number(readFileSync(file, 'utf8').trim());
    if (owner !== process.pid && Number.isInteger(owner) && isAlive(owner)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${owner}. ` +
          'Stop that server first (or use the HTTP API), or set TARN_DATA_DIR to another folder.',
        { cause: error },
      );
    }
    writeFileSync(file, String(process.pid));
  }
  if (held.size === 0) process.once('exit', () => held.forEach((path) => rmSync(path, { force: true })));
  held.add(file);
}
