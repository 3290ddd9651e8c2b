import { Account } from '../auth/entities/account.entity.js';
import { User } from '../auth/entities/user.entity.js';
import { OptimizationSession } from '../sessions/entities/optimization-session.entity.js';
import { DeprecatedCall } from '../versioning/entities/deprecated-call.entity.js';

/** Every entity, for the TypeORM CLI (the app registers them per feature module). */
export const ENTITIES = [Account, User, OptimizationSession, DeprecatedCall];
