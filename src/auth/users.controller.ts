import { Body, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ParseIdPipe } from '../common/database-id.js';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiController } from '../common/decorators/api-controller.decorator.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { CurrentUser } from './decorators/current-user.decorator.js';
import { Roles } from './decorators/roles.decorator.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { ListUsersQueryDto } from './dto/list-users-query.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { toUserResponse, UserResponseDto } from './dto/user-response.dto.js';
import { AuthService } from './auth.service.js';
import { AuthTokenDto } from './dto/auth-token.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiController('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
  ) {}

  @Get('me')
  @ApiOperation({ summary: 'The user the token belongs to' })
  @ApiOkResponse({ type: UserResponseDto })
  async me(@CurrentUser() actor: AuthenticatedUser): Promise<UserResponseDto> {
    return toUserResponse(await this.users.get(actor, actor.id));
  }

  @Post('me/token')
  @HttpCode(200)
  @ApiOperation({
    summary: "A fresh token for the caller (the profile page's button); the one sent stays valid until it expires",
  })
  @ApiOkResponse({ type: AuthTokenDto })
  async freshToken(@CurrentUser() actor: AuthenticatedUser): Promise<AuthTokenDto> {
    const user = await this.users.get(actor, actor.id);
    return { auth_token: await this.auth.issueToken(user), user_id: user.id };
  }

  @Get()
  @Roles('admin', 'account-admin')
  @ApiOperation({ summary: 'List users (admins: all; account-admins: their account)' })
  @ApiOkResponse({ type: UserResponseDto, isArray: true })
  async list(@CurrentUser() actor: AuthenticatedUser, @Query() query: ListUsersQueryDto): Promise<UserResponseDto[]> {
    return (await this.users.list(actor, query.account_id)).map(toUserResponse);
  }

  @Post()
  @Roles('admin', 'account-admin')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a user' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiConflictResponse({ description: 'The email is taken' })
  async create(@CurrentUser() actor: AuthenticatedUser, @Body() body: CreateUserDto): Promise<UserResponseDto> {
    const user = await this.users.create(
      {
        email: body.email,
        password: body.password,
        accountId: body.account_id,
        accountName: body.account_name,
        roles: body.roles,
      },
      actor,
    );
    return toUserResponse(user);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (admins: any; account-admins: their account; users: themselves)' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse()
  async get(@CurrentUser() actor: AuthenticatedUser, @Param('id', ParseIdPipe) id: number): Promise<UserResponseDto> {
    return toUserResponse(await this.users.get(actor, id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change password, active flag or roles',
    description: 'Admins: any user. Account-admins: users of their account. Users: their own password.',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse()
  async update(
    @CurrentUser() actor: AuthenticatedUser,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateUserDto,
  ): Promise<UserResponseDto> {
    return toUserResponse(await this.users.update(actor, id, body));
  }
}
