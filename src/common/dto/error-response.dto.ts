import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: 'email', description: 'Where the bad value is (a JSON path)' })
  path: string;

  @ApiProperty({ example: 'email must be an email' })
  message: string;
}

/** Every error answer has this shape. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({ example: 'Validation failed: email must be an email' })
  message: string;

  @ApiPropertyOptional({ type: ErrorDetailDto, isArray: true })
  details?: ErrorDetailDto[];

  @ApiPropertyOptional({ description: 'On 5xx: quote it when reporting; the server log has the cause' })
  errorId?: string;
}
