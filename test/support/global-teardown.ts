import { rmSync } from 'node:fs';

/** Removes what the global setup left in its temporary folder. */
export default function globalTeardown(): void {
  if (process.env.TARN_TEST_TEMP) rmSync(process.env.TARN_TEST_TEMP, { recursive: true, force: true });
}
