import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class LoggingEndpointDto {
  @ApiProperty({ example: 'https://logs.example.com/tarn', description: 'An http or https URL' })
  @IsString()
  @MaxLength(2000)
  endpoint: string;
}
