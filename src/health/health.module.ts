import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { RedisCheck } from './redis-check.js';
import { SolverCheck } from './solver-check.js';

@Module({ controllers: [HealthController], providers: [RedisCheck, SolverCheck] })
export class HealthModule {}
