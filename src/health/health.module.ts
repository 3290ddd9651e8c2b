import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { RedisCheck } from './redis-check.js';

@Module({ controllers: [HealthController], providers: [RedisCheck] })
export class HealthModule {}
