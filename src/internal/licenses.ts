/** The SHOP licenses GetLicenseInfo reports. Pure. */
import { ATTRIBUTES, COMMANDS } from '../shop/catalog.js';

/**
 * The SHOP licenses Tarn implements. SHOP_OPEN covers the model, YAML and the information
 * endpoints; the solver module adds the licenses of what it implements.
 */
export const GRANTED_LICENSES: ReadonlySet<string> = new Set(['SHOP_OPEN']);

export const GRANTED = 'GRANTED';
export const NOT_AVAILABLE = 'NOT_AVAILABLE';

/**
 * `"<LICENSE>:<access>"` for every license name in the catalog (attributes and commands):
 * the granted ones first, then the others, each group sorted.
 */
export function licenseInfo(granted: ReadonlySet<string> = GRANTED_LICENSES): string[] {
  const names = new Set<string>();
  for (const attribute of ATTRIBUTES) if (attribute.licenseName) names.add(attribute.licenseName);
  for (const command of COMMANDS) if (command.license) names.add(command.license);
  for (const name of granted) names.add(name);
  const sorted = [...names].sort();
  return [
    ...sorted.filter((name) => granted.has(name)).map((name) => `${name}:${GRANTED}`),
    ...sorted.filter((name) => !granted.has(name)).map((name) => `${name}:${NOT_AVAILABLE}`),
  ];
}
