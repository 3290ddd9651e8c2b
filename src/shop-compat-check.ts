import type { INestApplication } from '@nestjs/common';
import { ShopCompatService } from './auth/shop-compat.service.js';
import { isShopServerPath } from './auth/shop-server-paths.js';
import type { TarnConfig } from './config/tarn-config.js';
import { RouteTableService } from './versioning/route-table.service.js';

/**
 * The SHOP Server compatibility mode at start (pyshop-compat §3): throws ConfigError when
 * TARN_SHOP_COMPAT_USER names no active user; answers the warnings to log (an admin as that user;
 * the root aliases pyshop calls answering 410, by TARN_API_SUNSET_ACTIVE or a passed sunset).
 */
export async function checkShopCompat(app: INestApplication, config: TarnConfig): Promise<string[]> {
  if (!config.shopCompat.user) return [];
  const warnings = await app.get(ShopCompatService).checkAtStart();
  const gone = app
    .get(RouteTableService)
    .sunsetNow((route) => route.isRootAlias && isShopServerPath(route.method, route.path));
  if (gone.length > 0) {
    warnings.push(
      'TARN_SHOP_COMPAT_USER is set, but the SHOP Server root paths pyshop calls answer 410 Gone ' +
        '(TARN_API_SUNSET_ACTIVE=true or their sunset has passed): pyshop cannot work against this server ' +
        `(${gone.map((route) => `${route.method} ${route.path}`).join(', ')})`,
    );
  }
  return warnings;
}
