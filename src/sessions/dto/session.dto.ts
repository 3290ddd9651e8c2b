import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsPlainName } from '../../common/validation.js';
import type { OptimizationSession } from '../entities/optimization-session.entity.js';

/** SHOP Server's SessionSchema, and when the session was created. */
export class SessionDto {
  @ApiProperty({ example: 1 })
  session_id: number;

  @ApiProperty({ example: 'day-ahead 2026-12-02' })
  session_name: string;

  @ApiProperty({ example: '', description: 'The log file name the client gave (SHOP Server compatibility)' })
  log_file: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'When it was created (a Tarn extension)' })
  created_at: string;
}

/** SessionSchema without session_id, as SHOP Server takes it; every field optional. */
export class CreateSessionDto {
  @ApiPropertyOptional({ example: 'day-ahead 2026-12-02', description: 'Defaults to session_<id>' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsPlainName()
  session_name?: string;

  @ApiPropertyOptional({ example: '' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  log_file?: string;
}

export function toSessionDto(session: OptimizationSession): SessionDto {
  return {
    session_id: session.id,
    session_name: session.name,
    log_file: session.logFile,
    created_at: new Date(session.createdAt).toISOString(),
  };
}
