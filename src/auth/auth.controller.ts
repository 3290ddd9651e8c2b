import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthService } from './auth.service.js';
import { Public } from './decorators/public.decorator.js';
import { AuthTokenDto } from './dto/auth-token.dto.js';
import { RequestAuthTokenDto } from './dto/request-auth-token.dto.js';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('requestAuthToken')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for an access token' })
  @ApiOkResponse({ type: AuthTokenDto })
  @ApiBadRequestResponse({ description: 'A field is missing or malformed' })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (the answer does not say which)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed attempts from this client; wait and retry' })
  requestAuthToken(@Body() body: RequestAuthTokenDto): Promise<AuthTokenDto> {
    return this.auth.requestToken(body.email, body.password);
  }
}
