import { type ArgumentMetadata, BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { Max, Min, IsInt, type ValidationOptions } from 'class-validator';

/**
 * Row ids (sessions, users, accounts, runs) are PostgreSQL `integer` columns: a larger number
 * would fail in the database (a 500), so every id a client sends is checked against this first.
 */
export const MAX_DATABASE_ID = 2_147_483_647;

/** A client's id in a body or query: an integer from 1 to MAX_DATABASE_ID. */
export const IsDatabaseId = (options?: ValidationOptions): PropertyDecorator => {
  const decorators = [IsInt(options), Min(1, options), Max(MAX_DATABASE_ID, options)];
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
};

/** Whether `text` is an id, as above (digits only). */
export const parseDatabaseId = (text: string): number | undefined => {
  const id = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  return id >= 1 && id <= MAX_DATABASE_ID ? id : undefined;
};

/**
 * A path parameter that is an id: 400 naming it otherwise (ParseIntPipe lets overflowing ids
 * through). The global validation pipe may have made the text a number already.
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, metadata: ArgumentMetadata): number {
    const id = parseDatabaseId(String(value));
    if (id !== undefined) return id;
    const name = metadata.data ?? 'id';
    throw new BadRequestException({
      message: `${name} must be an integer from 1 to ${MAX_DATABASE_ID}, got ${JSON.stringify(String(value).slice(0, 40))}`,
      details: [{ path: `params.${name}`, message: `not an integer from 1 to ${MAX_DATABASE_ID}` }],
    });
  }
}
