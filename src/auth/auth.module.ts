import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TarnConfig } from '../config/tarn-config.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { Account } from './entities/account.entity.js';
import { User } from './entities/user.entity.js';
import { FirstAdminService } from './first-admin.service.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { RolesGuard } from './guards/roles.guard.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { ShopCompatService } from './shop-compat.service.js';
import { JwtStrategy } from './strategies/jwt.strategy.js';
import { TokenRateLimitMiddleware } from './token-rate-limit.middleware.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Account, User]),
    PassportModule,
    JwtModule.registerAsync({
      inject: [TarnConfig],
      useFactory: (config: TarnConfig) => ({
        secret: resolveJwtSecret(config).secret,
        signOptions: {
          algorithm: config.auth.jwtAlgorithm,
          expiresIn: Math.max(1, Math.round(config.auth.tokenLifetimeMs / 1000)),
        },
        verifyOptions: { algorithms: [config.auth.jwtAlgorithm] },
      }),
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [
    AuthService,
    UsersService,
    JwtStrategy,
    FirstAdminService,
    ShopCompatService,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [UsersService, ShopCompatService],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TokenRateLimitMiddleware).forRoutes({ path: 'api/requestAuthToken', method: RequestMethod.POST });
  }
}
