import { BadRequestException, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { findTextProblem } from '../../shop/text.js';

/**
 * Query parameters and headers hold only text Tarn can store (src/shop/text.ts): a NUL, an
 * unpaired surrogate, another C0 control character or a prototype key answers 400 naming the
 * parameter, before a guard reads `session_id` or a query reaches the database. (Node's HTTP
 * parser already refuses NUL and most control characters in headers; this holds whatever it lets
 * through.)
 */
@Injectable()
export class RequestTextMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    const problem = findTextProblem(request.query, 'query') ?? findTextProblem(request.headers, 'headers');
    if (problem) {
      throw new BadRequestException({ message: `${problem.path} ${problem.message}`, details: [problem] });
    }
    next();
  }
}
