import type { Role } from './entities/user.entity.js';

/** Who made the request, as the token guard puts it on `request.user`. */
export interface AuthenticatedUser {
  id: number;
  email: string;
  accountId: number;
  accountName: string;
  roles: Role[];
}

export const isAdmin = (user: AuthenticatedUser) => user.roles.includes('admin');
export const isAccountAdmin = (user: AuthenticatedUser) => user.roles.includes('account-admin');
