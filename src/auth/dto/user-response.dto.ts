import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role, type User } from '../entities/user.entity.js';

export class UserResponseDto {
  @ApiProperty({ example: 2 })
  id: number;

  @ApiProperty({ example: 'planner@example.com' })
  email: string;

  @ApiProperty({ example: 1 })
  account_id: number;

  @ApiProperty({ example: 'Vannkraft AS' })
  account_name: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['user'] })
  roles: Role[];

  @ApiProperty({ example: true })
  active: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at: string;
}

export function toUserResponse(user: User): UserResponseDto {
  return {
    id: user.id,
    email: user.email,
    account_id: user.accountId,
    account_name: user.account.name,
    roles: user.roles,
    active: user.active,
    created_at: user.createdAt.toISOString(),
  };
}
