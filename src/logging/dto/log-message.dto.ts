import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { LOG_LEVELS } from '../session-log.service.js';

export class LogMessageDto {
  @ApiProperty({ example: 12, description: 'Increasing; pass the last one seen as since' })
  id: number;

  @ApiProperty({ enum: LOG_LEVELS })
  level: string;

  @ApiProperty({ example: 'Model updated: 15 objects, 60 attribute values, 15 connections' })
  message: string;

  @ApiProperty({ example: 'tarn' })
  source: string;

  @ApiProperty({ type: String, format: 'date-time' })
  time: string;
}

export class LogQueryDto {
  @ApiProperty({ required: false, description: 'Only messages after this id', example: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  since?: number;

  /** The session selection of GET requests, read by SessionAccessGuard. */
  @IsOptional()
  @IsString()
  session_id?: string;
}
