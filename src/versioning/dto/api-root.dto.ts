import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ApiRootDto {
  @ApiProperty({ example: '0.1.0' })
  server_version: string;

  @ApiProperty()
  message: string;

  @ApiProperty({ example: 200 })
  status: number;

  @ApiProperty({ example: ['v1'], description: 'Live (not sunset) API versions' })
  versions: string[];
}

export class DeprecationInfoDto {
  @ApiProperty({ type: String, format: 'date-time' })
  deprecation: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  sunset?: string;

  @ApiProperty({ description: 'True while the route answers 410 Gone' })
  sunset_active: boolean;

  @ApiProperty({ example: { 'successor-version': '/api/v1/session' } })
  links: Record<string, string>;
}

export class EndpointDto {
  @ApiProperty({ example: 'GET' })
  method: string;

  @ApiProperty({ example: '/api/v1/users/:id' })
  path: string;

  @ApiPropertyOptional({ type: DeprecationInfoDto, description: 'Present when the endpoint is deprecated' })
  deprecation?: DeprecationInfoDto;
}

export class ApiVersionDto {
  @ApiProperty({ example: 'v1' })
  version: string;

  @ApiProperty({ enum: ['live', 'deprecated'] })
  status: 'live' | 'deprecated';

  @ApiPropertyOptional({ type: DeprecationInfoDto })
  deprecation?: DeprecationInfoDto;

  @ApiProperty({ type: EndpointDto, isArray: true })
  endpoints: EndpointDto[];
}

export class DeprecatedCallDto {
  @ApiProperty() user_id: number;
  @ApiProperty() email: string;
  @ApiProperty() account_id: number;
  @ApiProperty() account_name: string;
  @ApiProperty({ example: 'GET' }) method: string;
  @ApiProperty({ example: '/session' }) route: string;
  @ApiProperty() calls: number;
  @ApiProperty({ type: String, format: 'date-time' }) first_called_at: string;
  @ApiProperty({ type: String, format: 'date-time' }) last_called_at: string;
  @ApiPropertyOptional({ type: DeprecationInfoDto, description: 'The policy in force for that route now' })
  deprecation?: DeprecationInfoDto;
}
