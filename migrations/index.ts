import { CreateAccountsUsersDeprecatedCalls1764547200000 } from './1764547200000-CreateAccountsUsersDeprecatedCalls.js';

/** Every migration, oldest first. A landed migration is never edited: add a new one. */
export const MIGRATIONS = [CreateAccountsUsersDeprecatedCalls1764547200000];
