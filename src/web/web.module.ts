import { Module } from '@nestjs/common';
import { WebController } from './web.controller.js';

/** The web front end: sign-in, profile and sessions pages (their scripts and styles are static files under /web/). */
@Module({ controllers: [WebController] })
export class WebModule {}
