import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsDatabaseId } from '../../common/database-id.js';
import { ArrayUnique, IsArray, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsPlainName } from '../../common/validation.js';
import { ROLES, type Role } from '../entities/user.entity.js';

export class CreateUserDto {
  @ApiProperty({ example: 'planner@example.com' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'a long passphrase', minLength: 8, format: 'password' })
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional({
    description: 'Account by id. Admins give this or account_name; account-admins always create in their own account.',
    example: 1,
  })
  @IsOptional()
  @IsDatabaseId()
  account_id?: number;

  @ApiPropertyOptional({
    description: 'Account by name, created if it does not exist yet (admins only).',
    example: 'Vannkraft AS',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsPlainName()
  account_name?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true, default: ['user'] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];
}
