import { ApiProperty } from '@nestjs/swagger';

export class AuthTokenDto {
  @ApiProperty({ description: 'A JWT; send it as `Authorization: <token>` or `Authorization: Bearer <token>`' })
  auth_token: string;

  @ApiProperty({ example: 1 })
  user_id: number;
}
