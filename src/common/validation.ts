import {
  type ArgumentMetadata,
  BadRequestException,
  UnprocessableEntityException,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { findTextProblem, nameProblem } from '../shop/text.js';
import type { ErrorDetailDto } from './dto/error-response.dto.js';

/** Flattens class-validator errors into one entry per bad field, with its path. */
export function validationDetails(errors: ValidationError[], parent = ''): ErrorDetailDto[] {
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...validationDetails(error.children ?? [], path)];
  });
}

/**
 * A name a person chooses (a session's, an account's): plain text without control characters
 * (src/shop/text.ts); NUL and the like are refused before, by the pipe, as in every field.
 */
export const IsPlainName = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isPlainName',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || nameProblem(value) === undefined,
        defaultMessage: (args) => `${args?.property} ${nameProblem(String(args?.value))}`,
      },
    },
    options,
  );

/**
 * The validation pipe, which first refuses a DTO body holding text Tarn cannot store (a NUL, an
 * unpaired surrogate, a control character other than tab and line breaks) or a prototype key,
 * at any depth: 422 naming the field. Query parameters were checked before (RequestTextMiddleware);
 * the SHOP model and function bodies, which are not DTOs, by their own parsers.
 */
class TarnValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && this.toValidate(metadata)) {
      const problem = findTextProblem(value);
      if (problem) {
        const path = problem.path || 'body';
        throw new UnprocessableEntityException({
          message: `${path} ${problem.message}`,
          details: [{ path, message: problem.message }],
        });
      }
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: unknown fields rejected, types transformed, each problem listed. */
export function createValidationPipe(): ValidationPipe {
  return new TarnValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = validationDetails(errors);
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `Validation failed: ${details.map((d) => d.message).join('; ')}`,
        details,
      });
    },
  });
}
