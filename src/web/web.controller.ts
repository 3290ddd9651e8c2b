import { join, resolve } from 'node:path';
import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators/public.decorator.js';

/** Where the build puts the web pages and their assets (`npm run build`: web/ → dist/web/). */
export const WEB_DIR = resolve('dist', 'web');

/**
 * The web pages. They hold no data: their scripts call the API with the tab's token, so the
 * pages themselves are public. Revalidated at each visit (ETag), so a new release shows at once.
 */
@ApiExcludeController()
@Controller()
export class WebController {
  @Get('sign-in')
  @Public()
  @Header('Cache-Control', 'no-cache')
  signIn(@Res() response: Response): void {
    response.sendFile(join(WEB_DIR, 'sign-in.html'));
  }

  @Get('ui/sessions')
  @Public()
  @Header('Cache-Control', 'no-cache')
  sessions(@Res() response: Response): void {
    response.sendFile(join(WEB_DIR, 'sessions.html'));
  }

  /** One page for every session: its script reads the id from the path. */
  @Get('ui/sessions/:id')
  @Public()
  @Header('Cache-Control', 'no-cache')
  session(@Res() response: Response): void {
    response.sendFile(join(WEB_DIR, 'session.html'));
  }

  @Get('logged-in-user')
  @Public()
  @Header('Cache-Control', 'no-cache')
  profile(@Res() response: Response): void {
    response.sendFile(join(WEB_DIR, 'logged-in-user.html'));
  }
}
