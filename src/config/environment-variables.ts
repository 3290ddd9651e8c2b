import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const DURATION = /^\d+(\.\d+)?\s*(ms|s|m|h|d)?$/;
const BYTE_SIZE = /^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i;

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};

/**
 * Every setting Tarn reads, named exactly as the environment variable that sets it.
 * Command-line flags are folded onto these names before validation, so a bad value
 * is reported under the variable (and flag) the operator has to fix.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  // --- SHOP Server command-line flags -------------------------------------
  @IsOptional()
  @IsString()
  @MinLength(1)
  TARN_LISTEN?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  TARN_PORT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TARN_MAX_SESSIONS?: number;

  @IsOptional()
  @Matches(DURATION, { message: '$property must be a duration such as 3, 3s or 500ms' })
  TARN_LOGGING_ENDPOINT_TIMEOUT?: string;

  @IsOptional()
  @IsString()
  TARN_SHOP_LOG_FILE?: string;

  @IsOptional()
  @IsString()
  TARN_SOLVER_LOG_FILE?: string;

  @IsOptional()
  @IsString()
  TARN_MINIMAL_INFEASIBLE_PROBLEM_FILE?: string;

  // --- database -----------------------------------------------------------
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: '$property must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, {
    message: '$property must be a lower-case SQL identifier',
  })
  TARN_DATABASE_SCHEMA?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  TARN_DATA_DIR?: string;

  @IsOptional()
  @Matches(BYTE_SIZE, { message: '$property must be a size such as 16mb' })
  TARN_PGLITE_SHARED_BUFFERS?: string;

  // --- auth ---------------------------------------------------------------
  @IsOptional()
  @IsString()
  @MinLength(32, { message: '$property must be at least 32 characters long' })
  TARN_JWT_SECRET?: string;

  @IsOptional()
  @IsIn(['HS256', 'HS384', 'HS512'])
  TARN_JWT_ALGORITHM?: string;

  @IsOptional()
  @Matches(DURATION, { message: '$property must be a duration such as 6h, 30m or 2s' })
  TARN_TOKEN_LIFETIME?: string;

  @IsOptional()
  @IsEmail()
  TARN_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(8)
  TARN_ADMIN_PASSWORD?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  TARN_ADMIN_ACCOUNT?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TARN_AUTH_THROTTLE_LIMIT?: number;

  @IsOptional()
  @Matches(DURATION, { message: '$property must be a duration such as 60s or 1m' })
  TARN_AUTH_THROTTLE_TTL?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  TARN_TRUST_PROXY_HOPS?: number;

  // --- SHOP Server compatibility mode (pyshop) -----------------------------
  @IsOptional()
  @IsEmail()
  TARN_SHOP_COMPAT_USER?: string;

  @IsOptional()
  @IsString()
  TARN_SHOP_COMPAT_NETWORKS?: string;

  @IsOptional()
  @Matches(DURATION, { message: '$property must be a duration such as 24h or 30m' })
  TARN_SHOP_COMPAT_SESSION_IDLE?: string;

  // --- API governance -----------------------------------------------------
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  TARN_API_SUNSET_ACTIVE?: boolean;

  @IsOptional()
  @IsIn(['imf-fixdate', 'rfc9745'])
  TARN_DEPRECATION_HEADER_FORMAT?: string;

  @IsOptional()
  @IsString()
  TARN_API_POLICIES?: string;

  @IsOptional()
  @IsString()
  TARN_API_POLICY_FILE?: string;

  @IsOptional()
  @IsString()
  TARN_ROOT_ALIAS_DEPRECATION?: string;

  @IsOptional()
  @IsString()
  TARN_ROOT_ALIAS_SUNSET?: string;

  @IsOptional()
  @IsString()
  TARN_ROOT_ALIAS_DEPRECATION_LINK?: string;

  // --- HTTP and process ---------------------------------------------------
  @IsOptional()
  @Matches(BYTE_SIZE, { message: '$property must be a size such as 50mb or 512kb' })
  TARN_BODY_LIMIT?: string;

  @IsOptional()
  @Matches(BYTE_SIZE, { message: '$property must be a size such as 64mb, or 0 for no cache' })
  TARN_MODEL_CACHE_SIZE?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  TARN_LOG_LEVEL?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  TARN_LOG_PRETTY?: boolean;

  @IsOptional()
  @Matches(DURATION, { message: '$property must be a duration such as 30s' })
  TARN_SHUTDOWN_TIMEOUT?: string;

  // --- metrics --------------------------------------------------------------
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  TARN_METRICS_PORT?: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  TARN_METRICS_HOST?: string;

  @IsOptional()
  @IsString()
  TARN_LOGGING_ENDPOINT_ALLOW?: string;

  // --- the queue (BullMQ on Redis) ----------------------------------------
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: '$property must be a redis:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]+$/, { message: '$property must be letters, digits, _ . or -' })
  TARN_QUEUE_PREFIX?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TARN_WORKER_CONCURRENCY?: number;

  @IsOptional()
  @Matches(DURATION, { message: '$property must be a duration such as 30s' })
  TARN_WORKER_LOCK_TIMEOUT?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  TARN_WORKER_RETRIES?: number;

  // --- runs on a shared PostgreSQL: the heartbeat ---------------------------
  @IsOptional()
  @Matches(DURATION, { message: '$property must be a duration such as 10s' })
  TARN_RUN_HEARTBEAT_INTERVAL?: string;

  @IsOptional()
  @Matches(DURATION, { message: '$property must be a duration such as 30s' })
  TARN_RUN_HEARTBEAT_TIMEOUT?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TARN_MAX_RUNS_PER_ACCOUNT?: number;

  @IsOptional()
  @Matches(DURATION, { message: '$property must be a duration such as 300s' })
  TARN_SOLVE_TIME_LIMIT?: string;

  @IsOptional()
  @IsIn(['highs', 'cbc'])
  TARN_SOLVER?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TARN_SOLVER_POOL_SIZE?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  TARN_SOLVER_WARM_UP?: boolean;

  @IsOptional()
  @IsString()
  TARN_SOLVER_EXPORT_DIR?: string;
}

/** SHOP Server flags and the variables they set (a flag wins over the variable). */
export const FLAG_TO_VARIABLE: Record<string, keyof EnvironmentVariables> = {
  listen: 'TARN_LISTEN',
  port: 'TARN_PORT',
  maxSessions: 'TARN_MAX_SESSIONS',
  loggingEndpointTimeout: 'TARN_LOGGING_ENDPOINT_TIMEOUT',
  shopLogFile: 'TARN_SHOP_LOG_FILE',
  solverLogFile: 'TARN_SOLVER_LOG_FILE',
  minimalInfeasibleProblemFile: 'TARN_MINIMAL_INFEASIBLE_PROBLEM_FILE',
};
