import type { Role } from './entities/user.entity.js';

/** Who made the request, as the token guard puts it on `request.user`. */
export interface AuthenticatedUser {
  id: number;
  email: string;
  accountId: number;
  accountName: string;
  roles: Role[];
  /**
   * Set when the request came without credentials and acts as TARN_SHOP_COMPAT_USER (the SHOP
   * Server compatibility mode): sessions it creates are marked so, and expire when idle.
   */
  shopCompat?: true;
}

export const isAdmin = (user: AuthenticatedUser) => user.roles.includes('admin');
export const isAccountAdmin = (user: AuthenticatedUser) => user.roles.includes('account-admin');
