import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { isEmail } from 'class-validator';
import { Command, InvalidArgumentError, Option } from 'commander';
import { Account } from './auth/entities/account.entity.js';
import { ROLES, type Role, User } from './auth/entities/user.entity.js';
import { UsersService } from './auth/users.service.js';
import { ConfigModule } from './config/config.module.js';
import { configOrExit } from './config/config-or-exit.js';
import type { TarnConfig } from './config/tarn-config.js';
import { DatabaseModule } from './database/database.module.js';

@Module({})
class CliModule {
  static forRoot(config: TarnConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, TypeOrmModule.forFeature([Account, User])],
      providers: [UsersService],
    };
  }
}

/** Runs `work` with the users service on the configured database (same env as the server). */
async function withUsers<T>(work: (users: UsersService) => Promise<T>): Promise<T> {
  const config = configOrExit('tarn', undefined, []);
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error'] });
  try {
    return await work(context.get(UsersService));
  } finally {
    await context.close();
  }
}

function parseEmail(value: string): string {
  if (!isEmail(value)) throw new InvalidArgumentError('not an email address');
  return value;
}

const program = new Command('npm run cli --')
  .description('Tarn administration: users and accounts (uses DATABASE_URL or the embedded database)')
  .showHelpAfterError();

program
  .command('create-user')
  .description('create a user; the account is created when it does not exist yet')
  .requiredOption('--email <email>', "the user's email", parseEmail)
  .requiredOption('--account <name>', 'the account (organisation) the user belongs to')
  .addOption(new Option('--role <role...>', 'roles').choices(ROLES).default(['user']))
  .option('--password <password>', 'password (generated and printed when left out)')
  .action(async (options: { email: string; account: string; role: Role[]; password?: string }) => {
    const password = options.password ?? randomBytes(12).toString('base64url');
    const user = await withUsers((users) =>
      users.create({ email: options.email, password, accountName: options.account, roles: options.role }),
    );
    process.stdout.write(
      `Created user ${user.id} ${user.email} in account "${user.account.name}" with roles ${user.roles.join(', ')}\n`,
    );
    if (!options.password) process.stdout.write(`Password: ${password}\n`);
  });

program
  .command('set-password')
  .description("set a user's password (their earlier tokens stop working)")
  .requiredOption('--email <email>', "the user's email")
  .requiredOption('--password <password>', 'the new password')
  .action(async (options: { email: string; password: string }) => {
    await withUsers(async (users) => {
      const user = await users.findByEmail(options.email);
      if (!user) throw new Error(`No user with email ${options.email}`);
      await users.apply(user, { password: options.password, active: true });
    });
    process.stdout.write(`Password of ${options.email} changed\n`);
  });

program
  .command('list-users')
  .description('list every user')
  .action(async () => {
    const rows = await withUsers((users) => users.all());
    for (const user of rows) {
      process.stdout.write(
        `${user.id}\t${user.email}\t${user.account.name}\t${user.roles.join(',')}\t${user.active ? 'active' : 'inactive'}\n`,
      );
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tarn: ${message}\n`);
  process.exit(1);
});
