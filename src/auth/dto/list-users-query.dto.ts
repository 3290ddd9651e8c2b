import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDatabaseId } from '../../common/database-id.js';
import { Type } from 'class-transformer';
import { IsOptional } from 'class-validator';

export class ListUsersQueryDto {
  @ApiPropertyOptional({ description: 'Only users of this account (admins; account-admins always see their own).' })
  @IsOptional()
  @Type(() => Number)
  @IsDatabaseId()
  account_id?: number;
}
