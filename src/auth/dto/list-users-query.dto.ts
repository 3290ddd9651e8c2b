import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsPositive } from 'class-validator';

export class ListUsersQueryDto {
  @ApiPropertyOptional({ description: 'Only users of this account (admins; account-admins always see their own).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsPositive()
  account_id?: number;
}
